import {
  EVENT_TIME_DEFAULTS,
  RECORD_FUTURE_SKEW_MS,
  createClickstreamValidator,
  resolveValidatorOptions,
  decodeClickstreamEvent,
  createProjectionDecoder,
  encodeWindowResult,
  type ClickstreamProjection,
  type ClickstreamStringField,
  type ResolvedValidatorOptions,
  type SchemaError,
  type ClickstreamValidator,
  type WindowResult,
} from '@tributary/schema';
import { clickstreamAggregator, type PageCounts } from '../aggregate/clickstream.js';
import {
  sessionActivityAggregator,
  type SessionActivity,
  type SessionSummary,
} from '../aggregate/session-activity.js';
import { z } from '@tributary/options';
import { checkOption } from '../config/option-schemas.js';
import { invalidOption } from '../errors.js';
import { TumblingWindows } from '../windows/tumbling.js';
import type { AcceptedEventOutput } from './accepted-events.js';
import type { Decoder } from './decoder.js';
import { MergeTask } from './merge-task.js';
import {
  EVENT_TIME_OPTION_SPECS,
  WINDOW_TIME_OPTION_SPECS,
  type EventTimeOptions,
  type OutputNames,
} from './options.js';
import { PartialAggregationTask } from './partial-aggregation-task.js';
import { SessionWindowTask } from './session-window-task.js';
import type { EncodedResult, WindowedResult } from './window-result.js';
import { WindowedAggregationTask, type WindowedAggregationTaskOptions } from './windowed-aggregation-task.js';

/**
 * The reference clickstream job's own settings; its windows and event-time rules are the contract's
 * (`EVENT_TIME_DEFAULTS` of @tributary/schema, shared with @tributary/producer).
 */
export const CLICKSTREAM_JOB_DEFAULTS = {
  /** Session inactivity gap: 30 minutes. */
  sessionGapMs: 1_800_000,
} as const;

export interface ClickstreamDecoderOptions {
  /**
   * Decode only the fields the job reads (user_id, page_url, timestamp, event_type, event_id) — about twice as fast
   * as the full decoder on full events. Same verdicts: the schema's projection decoder accepts exactly what the full
   * decoder accepts (it checks the fields it skips, UTF-8 included) and rejects with the full decoder's code and
   * reason, so dead letters do not depend on this option. `false` builds the full event (every field).
   * @defaultValue true — except for clickstreamPartialTask with `acceptedEvents`, whose encoder may need every
   * field: there the default is the full decoder.
   */
  projection?: boolean;
  /**
   * An event whose timestamp is more than this ahead of its own Kafka record's timestamp is invalid (dead-lettered
   * with TRIB_SCHEMA_TIMESTAMP_OUT_OF_RANGE; it never moves the watermark). Decided from the record itself, so a
   * replay decides exactly as the first run, and as `@tributary/producer`'s ground truth.
   * @defaultValue RECORD_FUTURE_SKEW_MS (300000: 5 minutes)
   */
  maxFutureSkewMs?: number;
  /** Byte limits of the event's string fields (the schema validator's). @defaultValue FIELD_BYTE_LIMITS */
  maxFieldBytes?: Partial<Record<ClickstreamStringField, number>>;
  /**
   * A fixed "now" for the future-skew check instead of each record's timestamp (tests). Default: none — the
   * record's timestamp, never the wall clock.
   */
  validationNowMs?: number;
}

/** Decoder of ClickstreamEvent protobuf values with schema validation; failures carry the TRIB_SCHEMA_… code. */
export function clickstreamDecoder(options: ClickstreamDecoderOptions = {}): Decoder<ClickstreamProjection> {
  checkOption('projection', z.boolean().optional(), options.projection);
  checkOption(
    'validationNowMs',
    z.number('must be a finite number of epoch ms').optional(),
    options.validationNowMs,
  );
  const fixedNow = options.validationNowMs;
  let rules: ResolvedValidatorOptions;
  try {
    rules = resolveValidatorOptions({
      maxFutureSkewMs: options.maxFutureSkewMs ?? RECORD_FUTURE_SKEW_MS,
      maxFieldBytes: options.maxFieldBytes,
    });
  } catch (error) {
    // The schema's message names the option and the constraint ("maxFutureSkewMs must be …").
    const message = (error as SchemaError).reason ?? String(error);
    const [option = 'validation', ...rest] = message.split(' ');
    throw invalidOption(option, rest.join(' '));
  }
  const validate: ClickstreamValidator = createClickstreamValidator(rules);
  // The projection decodes an event fully when a field it skips is over its limit, so the validator sees it.
  const decode: (bytes: Uint8Array) => ClickstreamProjection =
    options.projection === false ? decodeClickstreamEvent : createProjectionDecoder(rules.maxFieldBytes);
  return (record) => {
    if (record.value === null)
      return { ok: false, code: 'TRIB_SCHEMA_DECODE_FAILED', reason: 'record value is null' };
    let event: ClickstreamProjection;
    try {
      event = decode(record.value);
    } catch (error) {
      const e = error as { code?: unknown; reason?: unknown; message?: unknown };
      return {
        ok: false,
        code: typeof e.code === 'string' ? e.code : 'TRIB_SCHEMA_DECODE_FAILED',
        reason: typeof e.reason === 'string' ? e.reason : String(e.message),
      };
    }
    const result = validate(event, fixedNow ?? record.timestamp);
    // The validator's success object already has the DecodeResult shape: passed on, not copied.
    return result.ok ? result : { ok: false, code: result.error.code, reason: result.error.reason };
  };
}

/** Encodes a page-count result as a `WindowResult` protobuf, key = page_url (UTF-8). */
export function encodeClickstreamResult(r: WindowedResult<PageCounts>): EncodedResult {
  const result: WindowResult = {
    pageUrl: r.key,
    windowStart: r.windowStart,
    windowEnd: r.windowEnd,
    clickCount: r.result.clickCount,
    viewCount: r.result.viewCount,
    isFinal: r.isFinal,
    version: r.version,
  };
  return { key: Buffer.from(r.key, 'utf8'), value: Buffer.from(encodeWindowResult(result)) };
}

export interface ClickstreamJobOptions extends EventTimeOptions, ClickstreamDecoderOptions {
  /** @defaultValue 60000 */
  windowSizeMs?: number;
  /** @defaultValue 0 */
  windowOffsetMs?: number;
  storePrefix?: string;
  outputs?: OutputNames;
  /**
   * Stage 1 and the single-stage task: distinct page_urls one window holds per input partition; an event that would
   * add one more is dead-lettered with TRIB_PROC_WINDOW_KEY_LIMIT (the ground truth's `maxKeysPerWindow`).
   * @defaultValue 100000 (ENGINE_DEFAULTS.maxKeysPerWindow)
   */
  maxKeysPerWindow?: number;
  /**
   * Event ids remembered per input partition; beyond it the oldest are forgotten (a duplicate of one is counted).
   * @defaultValue 2000000 (ENGINE_DEFAULTS.maxDedupEntries)
   */
  maxDedupEntries?: number;
}

function tumbling(o: ClickstreamJobOptions): TumblingWindows {
  return new TumblingWindows({
    sizeMs: o.windowSizeMs ?? EVENT_TIME_DEFAULTS.windowSizeMs,
    offsetMs: o.windowOffsetMs ?? EVENT_TIME_DEFAULTS.windowOffsetMs,
  });
}

/** The options `keys` names, of those given (a task's options taken from the job's). */
function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Pick<T, K>;
}

const WINDOW_TIME_KEYS = Object.keys(WINDOW_TIME_OPTION_SPECS) as (keyof typeof WINDOW_TIME_OPTION_SPECS)[];
const EVENT_TIME_KEYS = Object.keys(EVENT_TIME_OPTION_SPECS) as (keyof EventTimeOptions)[];
const DECODER_KEYS = ['projection', 'validationNowMs', 'maxFutureSkewMs', 'maxFieldBytes'] as const;
const COMMON_KEYS = ['storePrefix', 'outputs', 'maxDedupEntries', ...EVENT_TIME_KEYS] as const;

/** Clicks and views per (page_url, tumbling window): the aggregation of the stage-1 and the single-stage task. */
function pageCountsByUrl(
  options: ClickstreamJobOptions,
): Pick<
  WindowedAggregationTaskOptions<ClickstreamProjection, PageCounts, PageCounts>,
  'decode' | 'timestampOf' | 'keyOf' | 'eventIdOf' | 'window' | 'aggregator'
> {
  return {
    decode: clickstreamDecoder(pick(options, DECODER_KEYS)),
    timestampOf: (e) => e.timestamp,
    keyOf: (e) => e.pageUrl,
    eventIdOf: (e) => e.eventId,
    window: tumbling(options),
    aggregator: clickstreamAggregator<ClickstreamProjection>(),
  };
}

/**
 * Stage 1 of the reference job (input keyed by user_id, aggregation by page_url): validates, decides late and
 * duplicate per the contract, pre-aggregates clicks/views per (page_url, window) → 'repartition'. With
 * `acceptedEvents` it decodes the full event unless `projection` says otherwise.
 */
export function clickstreamPartialTask(
  options: ClickstreamJobOptions & {
    inputPartition: number;
    watermarkHeartbeatMs?: number;
    acceptedEvents?: AcceptedEventOutput<ClickstreamProjection>;
  },
): PartialAggregationTask<ClickstreamProjection, PageCounts, PageCounts> {
  return new PartialAggregationTask<ClickstreamProjection, PageCounts, PageCounts>({
    ...pick(options, [
      'inputPartition',
      'watermarkHeartbeatMs',
      'acceptedEvents',
      'maxKeysPerWindow',
      ...COMMON_KEYS,
    ]),
    // Accepted events go to an encoder that may read every field (enrichment): full decode unless told otherwise.
    ...pageCountsByUrl(
      options.acceptedEvents !== undefined && options.projection === undefined
        ? { ...options, projection: false }
        : options,
    ),
  });
}

/** Stage 2 of the reference job: merges partials per page_url and window → 'results' as WindowResult protobuf. */
export function clickstreamMergeTask(
  options: Omit<
    ClickstreamJobOptions,
    'dedupTtlMs' | 'maxDedupEntries' | 'maxKeysPerWindow' | keyof ClickstreamDecoderOptions
  > & {
    upstreamPartitions: number;
    closedWindowRetentionMs?: number;
    latePartialsOutput?: string;
  },
): MergeTask<PageCounts, PageCounts> {
  return new MergeTask<PageCounts, PageCounts>({
    ...pick(options, [
      'closedWindowRetentionMs',
      'latePartialsOutput',
      'storePrefix',
      'outputs',
      ...WINDOW_TIME_KEYS,
    ]),
    upstreamPartitions: options.upstreamPartitions,
    aggregator: clickstreamAggregator<ClickstreamProjection>(),
    encodeResult: encodeClickstreamResult,
  });
}

/**
 * Single-stage variant for an input already keyed (partitioned) by page_url: same contract and results, no
 * repartition topic.
 */
export function clickstreamWindowedTask(
  options: ClickstreamJobOptions & { earlyUpdateIntervalMs?: number } = {},
): WindowedAggregationTask<ClickstreamProjection, PageCounts, PageCounts> {
  return new WindowedAggregationTask<ClickstreamProjection, PageCounts, PageCounts>({
    ...pick(options, ['earlyUpdateIntervalMs', 'maxKeysPerWindow', ...COMMON_KEYS]),
    ...pageCountsByUrl(options),
    encodeResult: encodeClickstreamResult,
  });
}

/**
 * Sessions per user (input keyed by user_id): pages visited and duration, 30-minute gap by default. Results are
 * JSON `{ key: userId, windowStart, windowEnd, result: SessionSummary, isFinal, version }`, key = user_id.
 * `maxOpenSessions` (default 100000) caps the open sessions per input partition (TRIB_PROC_SESSION_LIMIT).
 */
export function clickstreamSessionTask(
  options: Omit<ClickstreamJobOptions, 'windowSizeMs' | 'windowOffsetMs' | 'maxKeysPerWindow'> & {
    gapMs?: number;
    maxOpenSessions?: number;
  } = {},
): SessionWindowTask<ClickstreamProjection, SessionActivity, SessionSummary> {
  return new SessionWindowTask<ClickstreamProjection, SessionActivity, SessionSummary>({
    ...pick(options, ['maxOpenSessions', ...COMMON_KEYS]),
    decode: clickstreamDecoder(pick(options, DECODER_KEYS)),
    timestampOf: (e) => e.timestamp,
    keyOf: (e) => e.userId,
    eventIdOf: (e) => e.eventId,
    gapMs: options.gapMs ?? CLICKSTREAM_JOB_DEFAULTS.sessionGapMs,
    aggregator: sessionActivityAggregator<ClickstreamProjection>(
      (e) => e.pageUrl,
      (e) => e.timestamp,
    ),
  });
}
