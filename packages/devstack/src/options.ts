import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { invalidOption } from './errors.js';

/** The servers a devstack can run. */
export const SERVICES = { kafka: 'kafka', elasticsearch: 'elasticsearch' } as const;
export type Service = (typeof SERVICES)[keyof typeof SERVICES];
/** Allowed values of the `services` option, for validators and `--help`. */
export const SERVICE_NAMES: readonly Service[] = Object.values(SERVICES);

/** Options of {@link startDevstack} and {@link devstackStatus}. Every field is optional; see {@link DEVSTACK_DEFAULTS}. */
export interface DevstackOptions {
  /** Which servers to run. @defaultValue `['kafka', 'elasticsearch']` */
  services?: readonly Service[];
  /** Kafka PLAINTEXT listener on 127.0.0.1. @defaultValue `9092` */
  kafkaPort?: number;
  /** Kafka KRaft CONTROLLER listener on 127.0.0.1. @defaultValue `9093` */
  kafkaControllerPort?: number;
  /** Elasticsearch HTTP port on 127.0.0.1. @defaultValue `9200` */
  esPort?: number;
  /** Elasticsearch transport port on 127.0.0.1. @defaultValue `9300` */
  esTransportPort?: number;
  /** Apache Kafka version resolved from Maven Central (`org.apache.kafka:kafka_2.13`). @defaultValue `'3.9.1'` */
  kafkaVersion?: string;
  /** Elasticsearch version resolved from Maven Central (integ-test-zip). @defaultValue `'8.14.3'` */
  esVersion?: string;
  /** Kafka JVM heap (`-Xms`/`-Xmx`), e.g. `'512m'`, `'1g'`. @defaultValue `'1g'` */
  kafkaHeap?: string;
  /** Elasticsearch JVM heap (`-Xms`/`-Xmx`). @defaultValue `'1g'` */
  esHeap?: string;
  /** Where downloaded distributions are kept (shared by every stack). Env `TRIBUTARY_DEVSTACK_CACHE`. */
  cacheDir?: string;
  /** Where the servers keep data and logs. @defaultValue a fresh temporary directory, removed on stop */
  dataDir?: string;
  /** Elasticsearch `thread_pool.write.queue_size` (a tiny queue produces real 429s). @defaultValue ES default */
  writeQueueSize?: number;
  /** Elasticsearch `thread_pool.write.size` (threads of the write pool). @defaultValue ES default */
  writeThreadPoolSize?: number;
  /** Kafka `auto.create.topics.enable`. @defaultValue `false` */
  autoCreateTopics?: boolean;
  /** Reuse a healthy server already listening on a port instead of failing. @defaultValue `true` */
  reuse?: boolean;
  /** Extra Kafka `server.properties` entries (override the generated ones). @defaultValue `{}` */
  kafkaProperties?: Readonly<Record<string, string>>;
  /** Extra Elasticsearch settings passed as `-E key=value`. @defaultValue `{}` */
  esSettings?: Readonly<Record<string, string>>;
  /** Time allowed for each server from spawn to healthy (a loaded 2-core CI box needs a minute for ES). @defaultValue `180000` */
  startTimeoutMs?: number;
  /** Time allowed after SIGTERM before SIGKILL. @defaultValue `30000` */
  stopTimeoutMs?: number;
  /** Time allowed for a Maven download. @defaultValue `600000` */
  resolveTimeoutMs?: number;
  /** Java launcher (must be JDK 17–23). @defaultValue `'java'` */
  javaCommand?: string;
  /** Maven launcher, only needed when the cache is empty. @defaultValue `'mvn'` */
  mavenCommand?: string;
  /** Receives progress lines (`[kafka] healthy in 2310 ms`). @defaultValue none */
  log?: (line: string) => void;
}

/** Options after defaults and validation. */
export interface ResolvedDevstackOptions extends Required<
  Omit<DevstackOptions, 'dataDir' | 'writeQueueSize' | 'writeThreadPoolSize' | 'log'>
> {
  dataDir: string | undefined;
  writeQueueSize: number | undefined;
  writeThreadPoolSize: number | undefined;
  log: (line: string) => void;
}

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

/** Every default, in one place. */
export const DEVSTACK_DEFAULTS = {
  services: SERVICE_NAMES,
  kafkaPort: 9092,
  kafkaControllerPort: 9093,
  esPort: 9200,
  esTransportPort: 9300,
  kafkaVersion: '3.9.1',
  esVersion: '8.14.3',
  kafkaHeap: '1g',
  esHeap: '1g',
  cacheDir: defaultCacheDir(),
  dataDir: undefined,
  writeQueueSize: undefined,
  writeThreadPoolSize: undefined,
  autoCreateTopics: false,
  reuse: true,
  kafkaProperties: {},
  esSettings: {},
  startTimeoutMs: 180_000,
  stopTimeoutMs: 30_000,
  resolveTimeoutMs: 600_000,
  javaCommand: 'java',
  mavenCommand: 'mvn',
} as const;

const VERSION_PATTERN = /^\d+\.\d+\.\d+$/;
const HEAP_PATTERN = /^[1-9]\d*[mMgG]$/;

function port(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65_535) {
    throw invalidOption(name, `must be an integer between 1 and 65535 (got ${String(value)})`);
  }
  return value;
}

function positiveInteger(name: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalidOption(name, `must be an integer >= ${min} (got ${String(value)})`);
  }
  return value;
}

function matching(name: string, value: unknown, pattern: RegExp, example: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw invalidOption(name, `must look like ${example} (got ${JSON.stringify(value)})`);
  }
  return value;
}

function nonEmptyString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw invalidOption(name, 'must be a non-empty string');
  return value;
}

function absolutePath(name: string, value: unknown): string {
  const text = nonEmptyString(name, value);
  return isAbsolute(text) ? text : resolve(text);
}

function stringRecord(name: string, value: unknown): Readonly<Record<string, string>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(name, 'must be an object of string values');
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalidOption(`${name}.${key}`, 'must be a string');
  }
  return value as Record<string, string>;
}

function services(value: unknown): readonly Service[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidOption('services', `must be a non-empty array of ${SERVICE_NAMES.join(', ')}`);
  }
  for (const item of value) {
    if (!SERVICE_NAMES.includes(item as Service)) {
      throw invalidOption(
        'services',
        `must only contain ${SERVICE_NAMES.join(', ')} (got ${JSON.stringify(item)})`,
      );
    }
  }
  return SERVICE_NAMES.filter((s) => value.includes(s));
}

function optional<T>(value: unknown, check: (v: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

/** Applies defaults and validates every option; throws `TRIB_DEVSTACK_INVALID_OPTION` naming the first bad one. */
export function resolveDevstackOptions(options: DevstackOptions = {}): ResolvedDevstackOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'must be an object');
  const o = { ...DEVSTACK_DEFAULTS, ...stripUndefined(options) } as Record<string, unknown>;
  const resolved: ResolvedDevstackOptions = {
    services: services(o['services']),
    kafkaPort: port('kafkaPort', o['kafkaPort']),
    kafkaControllerPort: port('kafkaControllerPort', o['kafkaControllerPort']),
    esPort: port('esPort', o['esPort']),
    esTransportPort: port('esTransportPort', o['esTransportPort']),
    kafkaVersion: matching('kafkaVersion', o['kafkaVersion'], VERSION_PATTERN, '"3.9.1"'),
    esVersion: matching('esVersion', o['esVersion'], VERSION_PATTERN, '"8.14.3"'),
    kafkaHeap: matching('kafkaHeap', o['kafkaHeap'], HEAP_PATTERN, '"512m" or "1g"'),
    esHeap: matching('esHeap', o['esHeap'], HEAP_PATTERN, '"512m" or "1g"'),
    cacheDir: absolutePath('cacheDir', o['cacheDir']),
    dataDir: optional(o['dataDir'], (v) => absolutePath('dataDir', v)),
    writeQueueSize: optional(o['writeQueueSize'], (v) => positiveInteger('writeQueueSize', v)),
    writeThreadPoolSize: optional(o['writeThreadPoolSize'], (v) => positiveInteger('writeThreadPoolSize', v)),
    autoCreateTopics: boolean('autoCreateTopics', o['autoCreateTopics']),
    reuse: boolean('reuse', o['reuse']),
    kafkaProperties: stringRecord('kafkaProperties', o['kafkaProperties']),
    esSettings: stringRecord('esSettings', o['esSettings']),
    startTimeoutMs: positiveInteger('startTimeoutMs', o['startTimeoutMs'], 1000),
    stopTimeoutMs: positiveInteger('stopTimeoutMs', o['stopTimeoutMs'], 100),
    resolveTimeoutMs: positiveInteger('resolveTimeoutMs', o['resolveTimeoutMs'], 1000),
    javaCommand: nonEmptyString('javaCommand', o['javaCommand']),
    mavenCommand: nonEmptyString('mavenCommand', o['mavenCommand']),
    log: logFunction(o['log']),
  };
  const ports: [string, number][] = [];
  if (resolved.services.includes('kafka')) {
    ports.push(['kafkaPort', resolved.kafkaPort], ['kafkaControllerPort', resolved.kafkaControllerPort]);
  }
  if (resolved.services.includes('elasticsearch')) {
    ports.push(['esPort', resolved.esPort], ['esTransportPort', resolved.esTransportPort]);
  }
  for (let i = 0; i < ports.length; i++) {
    for (let j = 0; j < i; j++) {
      if (ports[i]![1] === ports[j]![1]) {
        throw invalidOption(ports[i]![0], `must differ from ${ports[j]![0]} (both are ${ports[i]![1]})`);
      }
    }
  }
  return resolved;
}

function boolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw invalidOption(name, `must be a boolean (got ${JSON.stringify(value)})`);
  return value;
}

function logFunction(value: unknown): (line: string) => void {
  if (value === undefined) return () => {};
  if (typeof value !== 'function') throw invalidOption('log', 'must be a function');
  return value as (line: string) => void;
}

function stripUndefined(options: DevstackOptions): Partial<DevstackOptions> {
  return Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as Partial<DevstackOptions>;
}
