import { invalidOption } from './errors.js';

/** Options of the live dashboard (`tributary-dashboard`, embedded in `tributary-processor clickstream --dashboard`). */
export interface DashboardOptions {
  /** TCP port of the page; 0 = ephemeral. @defaultValue 8088 */
  readonly port: number;
  /** Interface to listen on. @defaultValue '127.0.0.1' */
  readonly host: string;
  /** Elasticsearch base URL the charts query. @defaultValue 'http://127.0.0.1:9200' */
  readonly elasticsearchUrl: string;
  /** Index or alias of the window-result documents. @defaultValue 'clickstream-metrics' */
  readonly index: string;
  /** Top pages over the last this many minutes. @defaultValue 5 */
  readonly topPagesMinutes: number;
  /** Rows of the top-pages table. @defaultValue 10 */
  readonly topPagesSize: number;
  /** Minutes shown by the clicks-vs-views chart. @defaultValue 30 */
  readonly chartMinutes: number;
  /** How often the page polls `/api/dashboard` (ms). @defaultValue 1500 */
  readonly refreshMs: number;
  /** How often the job's metrics are sampled (ms). @defaultValue 1000 */
  readonly sampleIntervalMs: number;
  /** Rates span the samples of this window (ms). @defaultValue 10000 */
  readonly rateWindowMs: number;
  /** The p99 latency covers the observations of this window (ms); since start when it holds none. @defaultValue 60000 */
  readonly latencyWindowMs: number;
  /** Only records read from this topic count as pipeline input; undefined = every stage's input. */
  readonly inputTopic: string | undefined;
  /**
   * Only records read by this stage (the `stage` label: its consumer group id) count as pipeline input, so a stage
   * that reads the input topic again (the session windows) does not count it twice; undefined = every stage.
   */
  readonly inputStage: string | undefined;
  /**
   * Whether window results are indexed into Elasticsearch; false shows the Elasticsearch panels as off instead of
   * querying. @defaultValue true
   */
  readonly elasticsearch: boolean;
  /** Time limit of one Elasticsearch query or metrics scrape (ms). @defaultValue 5000 */
  readonly requestTimeoutMs: number;
  /** Page heading. @defaultValue 'Tributary — clickstream' */
  readonly title: string;
}

export const DASHBOARD_DEFAULTS: DashboardOptions = Object.freeze({
  port: 8088,
  host: '127.0.0.1',
  elasticsearchUrl: 'http://127.0.0.1:9200',
  index: 'clickstream-metrics',
  topPagesMinutes: 5,
  topPagesSize: 10,
  chartMinutes: 30,
  refreshMs: 1_500,
  sampleIntervalMs: 1_000,
  rateWindowMs: 10_000,
  latencyWindowMs: 60_000,
  inputTopic: undefined,
  inputStage: undefined,
  elasticsearch: true,
  requestTimeoutMs: 5_000,
  title: 'Tributary — clickstream',
});

const KEYS = Object.keys(DASHBOARD_DEFAULTS) as (keyof DashboardOptions)[];

function integer(name: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max)
    throw invalidOption(name, `must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  return n;
}

function text(name: string, value: unknown, pattern = /^.+$/s): string {
  if (typeof value !== 'string' || !pattern.test(value))
    throw invalidOption(
      name,
      `must be a non-empty string${pattern.source === '^.+$' ? '' : ` matching ${pattern}`} (got ${JSON.stringify(value)})`,
    );
  return value;
}

function bool(name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidOption(name, `must be true or false (got ${JSON.stringify(value)})`);
}

/** Merges `input` over DASHBOARD_DEFAULTS and validates once; throws `TRIB_DASH_INVALID_OPTION` naming the option. */
export function resolveDashboardOptions(
  input: Partial<Record<keyof DashboardOptions, unknown>> = {},
): DashboardOptions {
  for (const key of Object.keys(input)) {
    if (!(KEYS as string[]).includes(key)) throw invalidOption(key, 'is not a dashboard option');
  }
  const m: Record<string, unknown> = { ...DASHBOARD_DEFAULTS };
  for (const [k, v] of Object.entries(input)) if (v !== undefined) m[k] = v;
  const url = m['elasticsearchUrl'];
  if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw invalidOption('elasticsearchUrl', `must be an http(s) URL (got ${JSON.stringify(url)})`);
  const sampleIntervalMs = integer('sampleIntervalMs', m['sampleIntervalMs'], 100, 60_000);
  const rateWindowMs = integer('rateWindowMs', m['rateWindowMs'], 1_000, 3_600_000);
  if (rateWindowMs < sampleIntervalMs)
    throw invalidOption('rateWindowMs', `must be at least sampleIntervalMs (${sampleIntervalMs})`);
  const latencyWindowMs = integer('latencyWindowMs', m['latencyWindowMs'], 1_000, 3_600_000);
  if (latencyWindowMs < sampleIntervalMs)
    throw invalidOption('latencyWindowMs', `must be at least sampleIntervalMs (${sampleIntervalMs})`);
  return {
    port: integer('port', m['port'], 0, 65_535),
    host: text('host', m['host']),
    elasticsearchUrl: url.replace(/\/+$/, ''),
    index: text('index', m['index'], /^[a-z0-9][a-z0-9._*,-]{0,254}$/),
    topPagesMinutes: integer('topPagesMinutes', m['topPagesMinutes'], 1, 10_080),
    topPagesSize: integer('topPagesSize', m['topPagesSize'], 1, 1_000),
    chartMinutes: integer('chartMinutes', m['chartMinutes'], 2, 1_440),
    refreshMs: integer('refreshMs', m['refreshMs'], 250, 60_000),
    sampleIntervalMs,
    rateWindowMs,
    latencyWindowMs,
    inputTopic:
      m['inputTopic'] === undefined
        ? undefined
        : text('inputTopic', m['inputTopic'], /^[A-Za-z0-9._-]{1,249}$/),
    inputStage:
      m['inputStage'] === undefined
        ? undefined
        : text('inputStage', m['inputStage'], /^[A-Za-z0-9._-]{1,249}$/),
    elasticsearch: bool('elasticsearch', m['elasticsearch']),
    requestTimeoutMs: integer('requestTimeoutMs', m['requestTimeoutMs'], 100, 600_000),
    title: text('title', m['title']),
  };
}
