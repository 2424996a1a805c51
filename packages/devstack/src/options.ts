import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { defineOptions, option, z, type OptionInput, type OptionValues } from '@tributary/options';
import { invalidOption } from './errors.js';

/** The servers a devstack can run. */
export const SERVICES = { kafka: 'kafka', elasticsearch: 'elasticsearch' } as const;
export type Service = (typeof SERVICES)[keyof typeof SERVICES];
/** Allowed values of the `services` option, for validators and `--help`. */
export const SERVICE_NAMES: readonly Service[] = Object.values(SERVICES);

/** The two ports of each server (the one clients use first); enabled servers' ports must all differ. */
export const SERVICE_PORTS = {
  kafka: ['kafkaPort', 'kafkaControllerPort'],
  elasticsearch: ['esPort', 'esTransportPort'],
} as const satisfies Record<Service, readonly [keyof DevstackOptions, keyof DevstackOptions]>;

/**
 * Default cache directory. ES runs as `nobody` when we are root, and `/root` is mode 700, so root gets a
 * world-traversable directory under `/var/cache`.
 */
export function defaultCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  uid: number | undefined = process.getuid?.(),
  home: string = homedir(),
): string {
  const fromEnv = env['TRIBUTARY_DEVSTACK_CACHE'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  if (uid === 0) return '/var/cache/tributary';
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && xdg !== '') return join(xdg, 'tributary');
  return join(home, '.cache', 'tributary');
}

/** `--services` text: `kafka,elasticsearch`, `es` for `elasticsearch`, `all` for both; lists pass as they are. */
function servicesFromText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim() === 'all') return SERVICE_NAMES;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (s === 'es' ? SERVICES.elasticsearch : s));
}

const port = (fallback: number) => {
  const rule = 'must be an integer between 1 and 65535';
  return z.int(rule).min(1, rule).max(65_535, rule).default(fallback);
};
const version = (example: string) => z.string().regex(/^\d+\.\d+\.\d+$/, `must look like "${example}"`);
const heap = z
  .string()
  .regex(/^[1-9]\d*[mMgG]$/, 'must look like "512m" or "1g"')
  .default('1g');
const text = () => z.string().refine((s) => s.trim() !== '', 'must be a non-empty string');
const path = () => text().transform((p) => (isAbsolute(p) ? p : resolve(p)));
const noEnv = { env: false } as const;

/** Options of {@link startDevstack} and {@link devstackStatus}, declared once: types, defaults, flags, variables. */
const DEVSTACK_OPTION_SPECS = {
  /** Which servers to run. @defaultValue `['kafka', 'elasticsearch']` */
  services: option(
    z
      .preprocess(
        (value: readonly Service[]) => servicesFromText(value),
        z
          .array(z.string())
          .min(1)
          .refine(
            (list) => list.every((s) => SERVICE_NAMES.includes(s as Service)),
            `must only contain ${SERVICE_NAMES.join(', ')}`,
          )
          .transform((list) => SERVICE_NAMES.filter((s) => list.includes(s))),
      )
      .default([...SERVICE_NAMES]),
    'servers to run: kafka,elasticsearch (or es, or all)',
    { env: 'TRIBUTARY_DEVSTACK_SERVICES', placeholder: '<list>', defaultText: 'all' },
  ),
  /** Kafka PLAINTEXT listener on 127.0.0.1. @defaultValue `9092` */
  kafkaPort: option(port(9092), 'Kafka listener on 127.0.0.1'),
  /** Kafka KRaft CONTROLLER listener on 127.0.0.1. @defaultValue `9093` */
  kafkaControllerPort: option(port(9093), 'KRaft controller listener'),
  /** Elasticsearch HTTP port on 127.0.0.1. @defaultValue `9200` */
  esPort: option(port(9200), 'Elasticsearch HTTP port'),
  /** Elasticsearch transport port on 127.0.0.1. @defaultValue `9300` */
  esTransportPort: option(port(9300), 'Elasticsearch transport port'),
  /** Apache Kafka version resolved from Maven Central (`org.apache.kafka:kafka_2.13`). @defaultValue `'3.9.1'` */
  kafkaVersion: option(version('3.9.1').default('3.9.1'), 'Apache Kafka version', { placeholder: '<v>' }),
  /** Elasticsearch version resolved from Maven Central (integ-test-zip). @defaultValue `'8.14.3'` */
  esVersion: option(version('8.14.3').default('8.14.3'), 'Elasticsearch version', { placeholder: '<v>' }),
  /** Kafka JVM heap (`-Xms`/`-Xmx`), e.g. `'512m'`, `'1g'`. @defaultValue `'1g'` */
  kafkaHeap: option(heap, 'Kafka JVM heap, e.g. 512m', { placeholder: '<size>' }),
  /** Elasticsearch JVM heap (`-Xms`/`-Xmx`). @defaultValue `'1g'` */
  esHeap: option(heap, 'Elasticsearch JVM heap', { placeholder: '<size>' }),
  /** Where downloaded distributions are kept (shared by every stack). @defaultValue {@link defaultCacheDir} */
  cacheDir: option(
    path().default(() => defaultCacheDir()),
    'downloaded distributions and state files',
    {
      env: 'TRIBUTARY_DEVSTACK_CACHE',
      placeholder: '<dir>',
    },
  ),
  /** Where the servers keep data and logs. @defaultValue a fresh temporary directory, removed on stop */
  dataDir: option(path().optional(), 'data and logs, kept after stop', {
    env: 'TRIBUTARY_DEVSTACK_DATA',
    placeholder: '<dir>',
    defaultText: 'a fresh temp dir',
  }),
  /** Elasticsearch `thread_pool.write.queue_size` (a tiny queue produces real 429s). @defaultValue ES default */
  writeQueueSize: option(z.int().min(1).optional(), 'ES thread_pool.write.queue_size', {
    env: 'TRIBUTARY_ES_WRITE_QUEUE_SIZE',
  }),
  /** Elasticsearch `thread_pool.write.size` (threads of the write pool). @defaultValue ES default */
  writeThreadPoolSize: option(z.int().min(1).optional(), 'ES thread_pool.write.size', {
    flag: 'write-threads',
    env: 'TRIBUTARY_ES_WRITE_THREADS',
  }),
  /**
   * Elasticsearch with security and HTTP TLS on: a CA and a certificate for 127.0.0.1 made at start, the `elastic`
   * user with a generated password; the started stack's `elasticsearch.security` names the CA file, the user, the
   * password and the file holding it. Off by default. @defaultValue `false`
   */
  esSecurity: option(
    z.boolean().default(false),
    'Elasticsearch with security and HTTP TLS on (CA made at start, user elastic, password in a file)',
  ),
  /** Kafka `auto.create.topics.enable`. @defaultValue `false` */
  autoCreateTopics: option(z.boolean().default(false), 'Kafka auto.create.topics.enable=true', noEnv),
  /** Reuse a healthy server already listening on a port instead of failing. @defaultValue `true` */
  reuse: option(z.boolean().default(true), 'reuse a healthy server already on a port', noEnv),
  /** Extra Kafka `server.properties` entries (override the generated ones). @defaultValue `{}` */
  kafkaProperties: option(
    z.record(z.string(), z.string(), 'must be an object of string values').default({}),
    'extra server.properties entries',
    { flag: false, env: false },
  ),
  /** Extra Elasticsearch settings passed as `-E key=value`. @defaultValue `{}` */
  esSettings: option(
    z.record(z.string(), z.string(), 'must be an object of string values').default({}),
    'extra Elasticsearch settings',
    { flag: false, env: false },
  ),
  /** Time allowed for each server from spawn to healthy (a loaded 2-core CI box needs a minute for ES). @defaultValue `180000` */
  startTimeoutMs: option(z.int().min(1000).default(180_000), 'per server, spawn to healthy', {
    env: 'TRIBUTARY_DEVSTACK_START_TIMEOUT_MS',
  }),
  /** Time allowed after SIGTERM before SIGKILL. @defaultValue `30000` */
  stopTimeoutMs: option(z.int().min(100).default(30_000), 'SIGTERM grace before SIGKILL', noEnv),
  /** Time allowed for a Maven download. @defaultValue `600000` */
  resolveTimeoutMs: option(z.int().min(1000).default(600_000), 'per Maven download', {
    flag: false,
    env: false,
  }),
  /** Java launcher (must be JDK 17–23). @defaultValue `'java'` */
  javaCommand: option(text().default('java'), 'java launcher (JDK 17-23)', {
    flag: 'java',
    env: false,
    placeholder: '<path>',
  }),
  /** Maven launcher, only needed when the cache is empty. @defaultValue `'mvn'` */
  mavenCommand: option(text().default('mvn'), 'maven launcher (first download only)', {
    flag: 'mvn',
    env: false,
    placeholder: '<path>',
  }),
  /** Receives progress lines (`[kafka] healthy in 2310 ms`). @defaultValue none */
  log: option(
    z
      .custom<(line: string) => void>((v) => typeof v === 'function', 'must be a function')
      .default(() => () => {}),
    'progress lines',
    { flag: false, env: false },
  ),
};

/** The devstack's options: `DEVSTACK_OPTIONS.defaults`, `.resolve(options)`, `.envLayer(env)`, `.help(…)`. */
export const DEVSTACK_OPTIONS = defineOptions(DEVSTACK_OPTION_SPECS, {
  component: '@tributary/devstack',
  invalid: (name, message) => invalidOption(name, message),
  check: (o, fail) => {
    const ports = o.services.flatMap((service) => SERVICE_PORTS[service]);
    ports.forEach((key, i) => {
      const clash = ports.slice(0, i).find((other) => o[other] === o[key]);
      if (clash !== undefined) fail(key, `must differ from ${clash} (both are ${o[key]})`);
    });
  },
});

/** Options of {@link startDevstack} and {@link devstackStatus}. Every field is optional; see `DEVSTACK_OPTIONS`. */
export type DevstackOptions = OptionInput<typeof DEVSTACK_OPTION_SPECS>;
/** Options after defaults and validation. */
export type ResolvedDevstackOptions = OptionValues<typeof DEVSTACK_OPTION_SPECS>;

/** Applies defaults and validates every option; throws `TRIB_DEVSTACK_INVALID_OPTION` naming the first bad one. */
export function resolveDevstackOptions(options: DevstackOptions = {}): ResolvedDevstackOptions {
  return DEVSTACK_OPTIONS.resolve(options);
}

/**
 * The options set by `TRIBUTARY_*` environment variables (unset or empty ones are ignored), validated and naming
 * the variable when one is bad.
 */
export function devstackOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DevstackOptions {
  const { values, given } = DEVSTACK_OPTIONS.resolveLayers([DEVSTACK_OPTIONS.envLayer(env)]);
  return Object.fromEntries([...given].map((key) => [key, values[key]]));
}
