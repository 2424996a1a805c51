/**
 * The logging bridge: kafkajs' own lines (connections, group joins, crashes) written through the application's
 * logger at the mapped level, credentials removed. Every client `createKafkaClient` makes uses it when given a log.
 */
import type { LogEntry, logCreator } from 'kafkajs';

/** kafkajs' log levels (its `logLevel` enum), without loading kafkajs. */
export const KafkaLogLevel = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const;

/** The levels by name, as options take them. */
export type KafkaLogLevelName = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/** Level name → kafkajs level. */
export const KAFKA_LOG_LEVELS: Readonly<Record<KafkaLogLevelName, number>> = Object.freeze({
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
});

/** The levels kafkajs lines are written at (kafkajs has no fatal or trace). */
export type KafkaLogTargetLevel = 'error' | 'warn' | 'info' | 'debug';

/** Where forwarded kafkajs lines go. */
export type KafkaLogWriter = (
  level: KafkaLogTargetLevel,
  message: string,
  fields: Record<string, unknown>,
) => void;

/** kafkajs level → the level its lines are written at; NOTHING writes nothing. */
export const KAFKA_TO_LOG_LEVEL: Readonly<Record<number, KafkaLogTargetLevel>> = Object.freeze({
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
});

/** Fields of a kafkajs line never written: credentials and TLS material (kafkajs does not log them today). */
const SECRET_FIELD =
  /^(sasl|password|secret|token|ssl|auth|authorization|credentials?|key|cert|ca|passphrase)$/i;
/** `scheme://user:password@host` → `scheme://[redacted]@host` inside string values. */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi;

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.replace(URL_USERINFO, '$1[redacted]@');
  if (depth >= 3 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!SECRET_FIELD.test(k)) out[k] = clean(v, depth + 1);
  }
  return out;
}

/**
 * The fields of one kafkajs line: its namespace (`Consumer`, `Connection`, …) and whatever kafkajs logged with it
 * (broker, groupId, error, …), without its own timestamp and logger name, credentials removed.
 */
export function kafkaLogFields(entry: LogEntry): Record<string, unknown> {
  const {
    timestamp: _t,
    logger: _l,
    message: _m,
    ...rest
  } = entry.log as LogEntry['log'] & {
    logger?: unknown;
  };
  return { kafkajs: entry.namespace || 'kafkajs', ...(clean(rest, 0) as Record<string, unknown>) };
}

/**
 * Whether a kafkajs line is a broker's error answer to one request (`Connection` namespace, `Response <api>` with
 * a correlationId). kafkajs logs each at error although it throws the same error to its caller, which retries it or
 * expects it (an existing topic on create, an unknown one while it is created): the caller reports what matters.
 */
export function isResponseError(entry: LogEntry): boolean {
  return (
    entry.namespace === 'Connection' &&
    entry.level === KafkaLogLevel.ERROR &&
    String(entry.log.message).startsWith('Response ') &&
    (entry.log as { correlationId?: unknown }).correlationId !== undefined
  );
}

export interface KafkaLogCreatorOptions {
  /**
   * While it returns true (the caller is (re)connecting and reports that itself) every line is written at debug, so
   * an outage does not flood the error log.
   */
  quiet?: (() => boolean) | undefined;
}

/**
 * A kafkajs `logCreator` forwarding every line to `write` at the mapped level, except a broker's error answer to one
 * request (`isResponseError`), written at debug: its caller gets the error and reports it if it matters.
 */
export function kafkaLogCreator(write: KafkaLogWriter, options: KafkaLogCreatorOptions = {}): logCreator {
  const quiet = options.quiet;
  return () => (entry) => {
    const mapped = KAFKA_TO_LOG_LEVEL[entry.level];
    if (mapped === undefined) return;
    const level = quiet?.() === true || isResponseError(entry) ? 'debug' : mapped;
    const message = clean(String(entry.log.message ?? ''), 0) as string;
    write(level, message, kafkaLogFields(entry));
  };
}

/** A logger with pino's call shape: `logger[level](fields, message)` (pino's own, or any with these methods). */
export type LevelLogger = Record<
  KafkaLogTargetLevel,
  (fields: Record<string, unknown>, message: string) => void
>;

/** `(level, message, fields)` → `logger[level](fields, message)`: a pino-shaped logger as a KafkaLogWriter. */
export function loggerLogWriter(logger: LevelLogger): KafkaLogWriter {
  return (level, message, fields) => logger[level](fields, message);
}
