import type { EventLoopDelayFigures } from '../resources/event-loop-delay.js';

/**
 * The IPC protocol between `bench run` and the probe it loads into the processor child (`node --import`). Every
 * message carries `kind: PROBE_MESSAGE_KIND`, so other IPC traffic is ignored.
 */
export const PROBE_MESSAGE_KIND = 'tributary-bench-probe';

/** Environment variable carrying the probe's configuration (JSON of `ProbeConfig`) into the child. */
export const PROBE_ENV = 'TRIBUTARY_BENCH_PROBE';

/** Histograms the probe records (µs, deltas per interval). */
export const PROBE_HISTOGRAMS = {
  /** Consumed by the processor (its eachBatch is called) − the input record's timestamp (create time). */
  KAFKA_TO_PROCESSOR: 'kafka-to-processor',
  /** The es-sink's bulk request answered 2xx for the enriched event − the event's timestamp (= its intended send time). */
  RAW_INDEXED: 'raw-indexed',
} as const;
export type ProbeHistogramName = (typeof PROBE_HISTOGRAMS)[keyof typeof PROBE_HISTOGRAMS];
export const PROBE_HISTOGRAM_NAMES: readonly ProbeHistogramName[] = Object.values(PROBE_HISTOGRAMS);

export interface ProbeConfig {
  /** Records of this topic are timed from their timestamp to consumption. */
  readonly inputTopic: string;
  /** Module path the probe resolves kafkajs and @elastic/elasticsearch from (the processor's CLI). */
  readonly resolveFrom: string;
  /** How often the probe reports, ms. */
  readonly intervalMs: number;
}

/** A final window document acknowledged by a bulk request: `[pageUrl, windowStart, windowEnd, ackMs]`. */
export type WindowAck = readonly [string, number, number, number];

/** Child → parent, every `intervalMs` and on a flush. */
export interface ProbeIntervalMessage {
  readonly kind: typeof PROBE_MESSAGE_KIND;
  readonly type: 'interval';
  /** 1, 2, 3… per child. */
  readonly seq: number;
  /** Wall-clock end of the interval, epoch ms. */
  readonly atMs: number;
  /** The id of the flush this message answers, if any. */
  readonly flushId?: number;
  /** What was recorded during the interval (compressed base64 histograms, µs), by name. */
  readonly histograms: Readonly<Partial<Record<ProbeHistogramName, string>>>;
  /** Final window documents acknowledged during the interval. */
  readonly windowAcks: readonly WindowAck[];
  /** Event-loop delay of the child since measuring started (cumulative), null before. */
  readonly eventLoop: EventLoopDelayFigures | null;
}

/** Parent → child: record only records (and events) whose timestamp is ≥ `fromMs`; reset the event-loop delay then. */
export interface ProbeMeasureMessage {
  readonly kind: typeof PROBE_MESSAGE_KIND;
  readonly type: 'measure';
  readonly fromMs: number;
}

/** Parent → child: report now (answered by an interval message with this `flushId`). */
export interface ProbeFlushMessage {
  readonly kind: typeof PROBE_MESSAGE_KIND;
  readonly type: 'flush';
  readonly id: number;
}

export type ProbeCommand = ProbeMeasureMessage | ProbeFlushMessage;

function record(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWindowAck(value: unknown): value is WindowAck {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    typeof value[0] === 'string' &&
    value.slice(1).every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

function isEventLoop(value: unknown): value is EventLoopDelayFigures | null {
  if (value === null) return true;
  return (
    record(value) &&
    (['p50', 'p99', 'max', 'samples'] as const).every(
      (k) => typeof value[k] === 'number' && Number.isFinite(value[k]),
    )
  );
}

/** True when `value` is a well-formed interval message of the probe (anything else on the channel is ignored). */
export function isProbeInterval(value: unknown): value is ProbeIntervalMessage {
  if (!record(value) || value['kind'] !== PROBE_MESSAGE_KIND || value['type'] !== 'interval') return false;
  const h = value['histograms'];
  return (
    Number.isSafeInteger(value['seq']) &&
    typeof value['atMs'] === 'number' &&
    (value['flushId'] === undefined || Number.isSafeInteger(value['flushId'])) &&
    record(h) &&
    Object.entries(h).every(
      ([name, encoded]) =>
        (PROBE_HISTOGRAM_NAMES as readonly string[]).includes(name) && typeof encoded === 'string',
    ) &&
    Array.isArray(value['windowAcks']) &&
    value['windowAcks'].every(isWindowAck) &&
    isEventLoop(value['eventLoop'])
  );
}

/** True when `value` is a command of the parent to the probe. */
export function isProbeCommand(value: unknown): value is ProbeCommand {
  if (!record(value) || value['kind'] !== PROBE_MESSAGE_KIND) return false;
  if (value['type'] === 'measure') return typeof value['fromMs'] === 'number';
  if (value['type'] === 'flush') return Number.isSafeInteger(value['id']);
  return false;
}
