import { option } from '@tributary/options';
import { invalidOption } from './errors.js';
import { DASHBOARD_OPTIONS, httpUrl, type DashboardOptions } from './dashboard-options.js';

const METRICS_URL_RULE = "must be the http(s) URL of a job's /metrics endpoint";

/** The dashboard's options plus the `/metrics` endpoint it scrapes. */
const DASHBOARD_CLI_OPTIONS = DASHBOARD_OPTIONS.extend(
  {
    metricsUrl: option(
      httpUrl(METRICS_URL_RULE).optional(),
      "the job's Prometheus endpoint, e.g. http://127.0.0.1:9464/metrics (required)",
      { placeholder: '<url>' },
    ),
  },
  { renamedEnv: { TRIBUTARY_DASHBOARD_ELASTICSEARCH_URL: 'TRIBUTARY_ES_URL' } },
);

export type ParsedDashboardCli =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'run'; readonly options: DashboardOptions; readonly metricsUrl: string };

/** The command line that runs the dashboard, as help and messages show it. */
export const DASHBOARD_COMMAND = 'tributary-dashboard';

/**
 * `tributary-dashboard --metrics-url <url> [options]`: the dashboard of a job running in another process, whose
 * `/metrics` it scrapes. `command` is how help names it (`tributary-processor dashboard` delegates here). Throws
 * `TRIB_DASH_INVALID_OPTION` naming the flag or variable.
 */
export function parseDashboardCli(
  argv: readonly string[],
  command = DASHBOARD_COMMAND,
  env: NodeJS.ProcessEnv = process.env,
): ParsedDashboardCli {
  const { help, positionals, values } = DASHBOARD_CLI_OPTIONS.parseCommandLine(argv, { env });
  if (help)
    return {
      kind: 'help',
      text: DASHBOARD_CLI_OPTIONS.help({
        usage: `${command} --metrics-url <url> [options]`,
        description:
          'Serves the live dashboard of a clickstream job running in another process: top pages and clicks vs views\n' +
          "from Elasticsearch, throughput, consumer lag, watermark lag and p99 latency scraped from the job's /metrics.",
        optionsTitle: 'Options (flags override TRIBUTARY_DASHBOARD_* environment variables):',
      }),
    };
  if (positionals.length > 0)
    throw invalidOption(positionals[0]!, `is not a flag: ${command} takes flags only (see --help)`);
  const { metricsUrl, ...options } = values;
  if (metricsUrl === undefined) throw invalidOption('--metrics-url', `${METRICS_URL_RULE} (got nothing)`);
  return { kind: 'run', options, metricsUrl };
}
