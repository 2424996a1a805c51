import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { invalidOption } from './errors.js';
import { DASHBOARD_DEFAULTS, resolveDashboardOptions } from './dashboard-options.js';
import type { DashboardOptions } from './dashboard-options.js';

const KEYS = Object.keys(DASHBOARD_DEFAULTS) as (keyof DashboardOptions)[];
const flagOf = (key: string): string => key.replace(/([A-Z])/g, '-$1').toLowerCase();

const MEANINGS: Record<keyof DashboardOptions, string> = {
  port: 'port of the page (0 = ephemeral)',
  host: 'interface to listen on',
  elasticsearchUrl: 'Elasticsearch base URL',
  index: 'index or alias of the window results',
  topPagesMinutes: 'top pages over the last N minutes',
  topPagesSize: 'rows of the top-pages table',
  chartMinutes: 'minutes shown by the clicks-vs-views chart',
  refreshMs: 'page poll interval',
  sampleIntervalMs: 'metrics sampling interval',
  rateWindowMs: 'window of the rates',
  latencyWindowMs: 'window of the p99 latency',
  inputTopic: 'count only records read from this topic as throughput',
  inputStage: 'count only records read by this stage (consumer group) as throughput',
  elasticsearch: 'false: the job does not index into Elasticsearch, show those panels as off',
  requestTimeoutMs: 'time limit of one query or scrape',
  title: 'page heading',
};

export type ParsedDashboardCli =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'run'; readonly options: DashboardOptions; readonly metricsUrl: string };

/** The command line that runs the dashboard, as help and messages show it. */
export const DASHBOARD_COMMAND = 'tributary-dashboard';

/**
 * `tributary-dashboard --metrics-url <url> [options]`: the dashboard of a job running in another process, whose
 * `/metrics` it scrapes. `command` is how help names it (`tributary-processor dashboard` delegates here). Throws
 * `TRIB_DASH_INVALID_OPTION` naming the flag.
 */
export function parseDashboardCli(argv: readonly string[], command = DASHBOARD_COMMAND): ParsedDashboardCli {
  const options: NonNullable<ParseArgsConfig['options']> = {
    help: { type: 'boolean', short: 'h' },
    'metrics-url': { type: 'string' },
  };
  for (const key of KEYS) options[flagOf(key)] = { type: 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? 'arguments';
    throw invalidOption(flag, `is not valid here: ${message}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values['help'] === true) return { kind: 'help', text: dashboardHelpText(command) };
  const metricsUrl = values['metrics-url'];
  if (
    typeof metricsUrl !== 'string' ||
    !URL.canParse(metricsUrl) ||
    !/^https?:$/.test(new URL(metricsUrl).protocol)
  )
    throw invalidOption(
      '--metrics-url',
      `must be the http(s) URL of a job's /metrics endpoint (got ${JSON.stringify(metricsUrl)})`,
    );
  const input: Partial<Record<keyof DashboardOptions, unknown>> = {};
  for (const key of KEYS) {
    const v = values[flagOf(key)];
    if (v !== undefined) input[key] = v;
  }
  try {
    return { kind: 'run', options: resolveDashboardOptions(input), metricsUrl };
  } catch (error) {
    const option = (error as { option?: string }).option;
    if (option === undefined) throw error;
    throw invalidOption(`--${flagOf(option)}`, (error as Error).message.slice(option.length + 1));
  }
}

export function dashboardHelpText(command = DASHBOARD_COMMAND): string {
  const rows = KEYS.map((key) => {
    const def = DASHBOARD_DEFAULTS[key];
    return `  ${`--${flagOf(key)} <value>`.padEnd(34)} ${MEANINGS[key]}${def === undefined ? '' : ` [default ${String(def)}]`}`;
  });
  return [
    `Usage: ${command} --metrics-url <url> [options]`,
    '',
    'Serves the live dashboard of a clickstream job running in another process: top pages and clicks vs views',
    "from Elasticsearch, throughput, consumer lag, watermark lag and p99 latency scraped from the job's /metrics.",
    '',
    'Options:',
    `  ${'--metrics-url <url>'.padEnd(34)} the job's Prometheus endpoint, e.g. http://127.0.0.1:9464/metrics (required)`,
    ...rows,
    `  ${'-h, --help'.padEnd(34)} show this help`,
  ].join('\n');
}
