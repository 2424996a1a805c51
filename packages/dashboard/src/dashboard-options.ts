import { ELASTICSEARCH_CONNECTION_OPTION_SPECS, elasticsearchClientOptions } from '@tributary/es-sink';
import { defineOptions, option, z, type OptionInput, type OptionValues } from '@tributary/options';
import { invalidOption } from './errors.js';

/** An http(s) URL, without trailing slashes. */
export function httpUrl(rule = 'must be an http(s) URL') {
  return z.url({ protocol: /^https?$/, error: rule }).transform((url) => url.replace(/\/+$/, ''));
}

const NAME = /^[A-Za-z0-9._-]{1,249}$/;

/** Options of the live dashboard (`tributary-dashboard`, embedded in `tributary-processor clickstream --dashboard`). */
export const DASHBOARD_OPTION_SPECS = {
  /** TCP port of the page; 0 = ephemeral. */
  port: option(z.int().min(0).max(65_535).default(8088), 'port of the page (0 = ephemeral)'),
  /** Interface to listen on. */
  host: option(z.string().min(1).default('127.0.0.1'), 'interface to listen on'),
  /** The Elasticsearch the charts query: nodes, API key or basic auth, CA (the same options as every component). */
  ...ELASTICSEARCH_CONNECTION_OPTION_SPECS,
  /** Index or alias of the window-result documents. */
  index: option(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9._*,-]{0,254}$/)
      .default('clickstream-metrics'),
    'index or alias of the window results',
  ),
  /** Top pages over the last this many minutes. */
  topPagesMinutes: option(z.int().min(1).max(10_080).default(5), 'top pages over the last N minutes'),
  /** Rows of the top-pages table. */
  topPagesSize: option(z.int().min(1).max(1_000).default(10), 'rows of the top-pages table'),
  /** Minutes shown by the clicks-vs-views chart. */
  chartMinutes: option(z.int().min(2).max(1_440).default(30), 'minutes shown by the clicks-vs-views chart'),
  /** How often the page polls `/api/dashboard` (ms). */
  refreshMs: option(z.int().min(250).max(60_000).default(1_500), 'page poll interval (ms)'),
  /** How often the job's metrics are sampled (ms). */
  sampleIntervalMs: option(z.int().min(100).max(60_000).default(1_000), 'metrics sampling interval (ms)'),
  /** Rates span the samples of this window (ms); at least `sampleIntervalMs`. */
  rateWindowMs: option(z.int().min(1_000).max(3_600_000).default(10_000), 'window of the rates (ms)'),
  /** The p99 latency covers the observations of this window (ms); since start when it holds none. */
  latencyWindowMs: option(
    z.int().min(1_000).max(3_600_000).default(60_000),
    'window of the p99 latency (ms)',
  ),
  /** Only records read from this topic count as pipeline input; unset = every stage's input. */
  inputTopic: option(
    z.string().regex(NAME).optional(),
    'count only records read from this topic as throughput',
  ),
  /**
   * Only records read by this stage (the `stage` label: its consumer group id) count as pipeline input, so a stage
   * that reads the input topic again (the session windows) does not count it twice; unset = every stage.
   */
  inputStage: option(
    z.string().regex(NAME).optional(),
    'count only records read by this stage (consumer group) as throughput',
  ),
  /** Whether window results are indexed into Elasticsearch; false shows those panels as off instead of querying. */
  elasticsearch: option(
    z.boolean().default(true),
    'the job indexes into Elasticsearch (off: those panels show as off, nothing is queried)',
  ),
  /** Time limit of one Elasticsearch query or metrics scrape (ms). */
  requestTimeoutMs: option(
    z.int().min(100).max(600_000).default(5_000),
    'time limit of one query or scrape (ms)',
  ),
  /** Page heading. */
  title: option(z.string().min(1).default('Tributary — clickstream'), 'page heading'),
};

/**
 * Validated once (`TRIB_DASH_INVALID_OPTION` naming the option); flags `--kebab-case`, `TRIBUTARY_DASHBOARD_*`
 * variables (the Elasticsearch connection's are `TRIBUTARY_ES_*`, as in every component).
 */
export const DASHBOARD_OPTIONS = defineOptions(DASHBOARD_OPTION_SPECS, {
  component: 'the dashboard',
  envPrefix: 'TRIBUTARY_DASHBOARD_',
  invalid: invalidOption,
  check: (values, fail) => {
    if (values.elasticsearch) elasticsearchClientOptions(values, fail);
    for (const key of ['rateWindowMs', 'latencyWindowMs'] as const)
      if (values[key] < values.sampleIntervalMs)
        fail(key, `must be at least sampleIntervalMs (${values.sampleIntervalMs})`);
  },
});

export type DashboardOptions = Readonly<OptionValues<typeof DASHBOARD_OPTION_SPECS>>;
export type DashboardOptionsInput = OptionInput<typeof DASHBOARD_OPTION_SPECS>;

/** The options over their defaults, validated once; throws `TRIB_DASH_INVALID_OPTION` naming the option. */
export function resolveDashboardOptions(input: DashboardOptionsInput = {}): DashboardOptions {
  return DASHBOARD_OPTIONS.resolve(input);
}
