import { setTimeout as sleep } from 'node:timers/promises';
import { kafkaSecurityFailure } from '@tributary/kafka';

/**
 * Codes of start-up failures that waiting does not cure: a bad option or file, a missing input topic, a topic that
 * no longer matches the state, refused credentials, a missing topic of the connector.
 */
const PERMANENT_START_CODES: ReadonlySet<string> = new Set([
  'TRIB_PROC_INVALID_OPTION',
  'TRIB_PROC_CONFIG_FILE_INVALID',
  'TRIB_PROC_INPUT_TOPIC_MISSING',
  'TRIB_PROC_TOPIC_MISMATCH',
  'TRIB_PROC_INVALID_STATE',
  'TRIB_SINK_INVALID_OPTION',
  'TRIB_SINK_AUTH_FAILED',
  'TRIB_SINK_TOPIC_NOT_FOUND',
]);

export interface StartRetryOptions {
  /** Keep trying this long (wall clock) before the last failure is thrown. */
  readonly timeoutMs: number;
  /** First pause between attempts; doubled each time up to `maxDelayMs`. @defaultValue 1000 */
  readonly initialDelayMs?: number;
  /** @defaultValue 30000 */
  readonly maxDelayMs?: number;
  /** Called before each pause with the failure and the attempt number. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/** Something that starts, and stops what it started when a start fails half-way. */
export interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** True when a start-up failure (or one of its causes) carries a code that waiting does not cure. */
export function isPermanentStartFailure(error: unknown): boolean {
  // Refused credentials or an unverifiable broker certificate: a setting to fix, not an outage to wait out.
  if (kafkaSecurityFailure(error) !== undefined) return true;
  let e: unknown = error;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const { code, cause } = e as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && PERMANENT_START_CODES.has(code)) return true;
    e = cause;
  }
  return false;
}

/**
 * Starts a fresh instance from `create` until one starts, as Kafka Streams and Kafka Connect keep trying while the
 * cluster is unreachable: a broker restarting or Elasticsearch not answering yet delays the start instead of ending
 * the process. A permanent failure (see `isPermanentStartFailure`), or still failing after `timeoutMs`, throws.
 */
export async function startWithRetry<T extends Startable>(
  create: () => T,
  options: StartRetryOptions,
): Promise<T> {
  const now = options.now ?? Date.now;
  const pause = options.sleep ?? sleep;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const started = now();
  let delayMs = options.initialDelayMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    const instance = create();
    try {
      await instance.start();
      return instance;
    } catch (error) {
      await instance.stop().catch(() => undefined);
      if (isPermanentStartFailure(error) || now() - started + delayMs > options.timeoutMs)
        throw kafkaSecurityFailure(error) ?? error;
      options.onRetry?.(error, attempt, delayMs);
      await pause(delayMs);
      delayMs = Math.min(maxDelayMs, delayMs * 2);
    }
  }
}
