import { invalidOption } from './errors.js';
import type { DevstackOptions, Service } from './options.js';

/** Environment variables read by {@link devstackOptionsFromEnv}, and the option each one maps onto. */
export const DEVSTACK_ENV = {
  TRIBUTARY_KAFKA_PORT: 'kafkaPort',
  TRIBUTARY_KAFKA_CONTROLLER_PORT: 'kafkaControllerPort',
  TRIBUTARY_ES_PORT: 'esPort',
  TRIBUTARY_ES_TRANSPORT_PORT: 'esTransportPort',
  TRIBUTARY_KAFKA_VERSION: 'kafkaVersion',
  TRIBUTARY_ES_VERSION: 'esVersion',
  TRIBUTARY_KAFKA_HEAP: 'kafkaHeap',
  TRIBUTARY_ES_HEAP: 'esHeap',
  TRIBUTARY_DEVSTACK_CACHE: 'cacheDir',
  TRIBUTARY_DEVSTACK_DATA: 'dataDir',
  TRIBUTARY_DEVSTACK_SERVICES: 'services',
  TRIBUTARY_ES_WRITE_QUEUE_SIZE: 'writeQueueSize',
  TRIBUTARY_ES_WRITE_THREADS: 'writeThreadPoolSize',
  TRIBUTARY_DEVSTACK_START_TIMEOUT_MS: 'startTimeoutMs',
} as const satisfies Record<string, keyof DevstackOptions>;

const NUMERIC = new Set<string>([
  'kafkaPort',
  'kafkaControllerPort',
  'esPort',
  'esTransportPort',
  'writeQueueSize',
  'writeThreadPoolSize',
  'startTimeoutMs',
  'stopTimeoutMs',
]);

/** Parses `--services`-style text: `kafka,elasticsearch`, `es` is accepted for `elasticsearch`, `all` for both. */
export function parseServices(text: string): Service[] {
  if (text.trim() === 'all') return ['kafka', 'elasticsearch'];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (s === 'es' ? 'elasticsearch' : s) as Service);
}

/**
 * Maps an option from its text form (environment variable or CLI flag) onto the options object. Numbers must be
 * integers; the option validation then applies the same constraints as for the library.
 */
export function optionFromText(
  options: DevstackOptions,
  key: keyof DevstackOptions,
  text: string,
  source: string,
): void {
  const target = options as Record<string, unknown>;
  if (key === 'services') {
    target[key] = parseServices(text);
  } else if (NUMERIC.has(key)) {
    if (!/^-?\d+$/.test(text.trim()))
      throw invalidOption(source, `must be an integer (got ${JSON.stringify(text)})`);
    target[key] = Number(text);
  } else {
    target[key] = text;
  }
}

/** Reads the `TRIBUTARY_*` environment variables into devstack options (unset or empty variables are ignored). */
export function devstackOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DevstackOptions {
  const options: DevstackOptions = {};
  for (const [name, key] of Object.entries(DEVSTACK_ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') optionFromText(options, key, value, name);
  }
  return options;
}
