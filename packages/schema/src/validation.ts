import { decodeClickstreamEvent } from './clickstream-event.js';
import { decodeClickstreamProjection } from './projection.js';
import { SchemaError, SchemaErrorCodes, isSchemaError, rejection } from './errors.js';
import { describeValue } from './describe-value.js';
import { publishInvalidEvent } from './diagnostics.js';
import { CLICKSTREAM_STRING_FIELDS } from './clickstream-event.js';
import { EVENT_TYPES } from './types.js';
import type { ClickstreamEvent, ClickstreamProjection } from './types.js';

/** The proto names of ClickstreamEvent's string fields, in field-number order. */
export type ClickstreamStringField =
  (typeof CLICKSTREAM_STRING_FIELDS)[keyof typeof CLICKSTREAM_STRING_FIELDS];

/**
 * Largest allowed UTF-8 size of each string field, in bytes: generous for real URLs, user agents and ids, small
 * enough that no valid event can make a record (a partial keyed by page_url, a dedup entry, a dead-letter copy)
 * exceed Kafka's default 1 MB message limit or Elasticsearch's 512-byte `_id`.
 */
export const FIELD_BYTE_LIMITS: Readonly<Record<ClickstreamStringField, number>> = Object.freeze({
  user_id: 256,
  page_url: 8_192,
  event_type: 64,
  event_id: 256,
  session_id: 256,
  referrer: 8_192,
  user_agent: 4_096,
  device: 256,
  country: 64,
});

/**
 * The future-skew bound a stream job applies against each record's own Kafka timestamp (not the wall clock, so a
 * replay decides exactly as the first run): an event more than this ahead of the record carrying it is invalid.
 */
export const RECORD_FUTURE_SKEW_MS = 300_000;

/** Result of validation: the event, or the first problem found. Never thrown. */
export type ValidationResult<T extends ClickstreamProjection = ClickstreamEvent> =
  { ok: true; event: T } | { ok: false; error: SchemaError };

export interface ValidatorOptions {
  /**
   * Largest allowed UTF-8 size per string field (proto name → bytes); fields not named keep FIELD_BYTE_LIMITS.
   * @defaultValue FIELD_BYTE_LIMITS
   */
  maxFieldBytes?: Partial<Record<ClickstreamStringField, number>> | undefined;
  /**
   * Largest allowed distance of `timestamp` ahead of now, in ms.
   * @defaultValue 3_600_000 (1 hour)
   */
  maxFutureSkewMs?: number | undefined;
  /**
   * Smallest allowed `timestamp`, epoch ms.
   * @defaultValue 946_684_800_000 (2000-01-01T00:00:00Z)
   */
  minTimestampMs?: number | undefined;
  /**
   * Reject events without `event_id`. Off by default: events from seed-era producers have no event_id.
   * @defaultValue false
   */
  requireEventId?: boolean | undefined;
  /**
   * Clock for the future-skew check, epoch ms.
   * @defaultValue Date.now
   */
  clock?: (() => number) | undefined;
}

/** One-shot options: like ValidatorOptions, with a fixed `nowMs` instead of a clock. */
export interface ValidateOptions extends Omit<ValidatorOptions, 'clock'> {
  /** "Now" for the future-skew check, epoch ms. @defaultValue Date.now() */
  nowMs?: number | undefined;
}

/** Validator options after defaults are applied. */
export interface ResolvedValidatorOptions {
  maxFieldBytes: Readonly<Record<ClickstreamStringField, number>>;
  maxFutureSkewMs: number;
  minTimestampMs: number;
  requireEventId: boolean;
  clock: () => number;
}

export const VALIDATION_DEFAULTS = Object.freeze({
  maxFieldBytes: FIELD_BYTE_LIMITS,
  maxFutureSkewMs: 3_600_000,
  minTimestampMs: Date.UTC(2000, 0, 1),
  requireEventId: false,
  clock: Date.now,
}) satisfies ResolvedValidatorOptions;

/**
 * Validates one event. `nowMs`, when given, is "now" for the future-skew check instead of the validator's clock
 * (a stream job passes the Kafka record's own timestamp; a negative one — no timestamp — skips the check).
 */
export type ClickstreamValidator = <T extends ClickstreamProjection>(
  event: T,
  nowMs?: number,
) => ValidationResult<T>;

function optionError(message: string): SchemaError {
  return new SchemaError(SchemaErrorCodes.INVALID_OPTION, message);
}

function checkNonNegativeInteger(name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)) {
    throw optionError(`${name} must be a non-negative safe integer, got ${describeValue(value)}`);
  }
}

/** Validates options once and returns the resolved settings. @throws SchemaError TRIB_SCHEMA_INVALID_OPTION */
export function resolveValidatorOptions(options: ValidatorOptions = {}): ResolvedValidatorOptions {
  if (options === null || typeof options !== 'object')
    throw optionError(`options must be an object, got ${describeValue(options)}`);
  checkNonNegativeInteger('maxFutureSkewMs', options.maxFutureSkewMs);
  checkNonNegativeInteger('minTimestampMs', options.minTimestampMs);
  const maxFieldBytes = resolveFieldLimits(options.maxFieldBytes);
  if (options.requireEventId !== undefined && typeof options.requireEventId !== 'boolean') {
    throw optionError(`requireEventId must be a boolean, got ${describeValue(options.requireEventId)}`);
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw optionError(`clock must be a function returning epoch ms, got ${describeValue(options.clock)}`);
  }
  return {
    maxFieldBytes,
    maxFutureSkewMs: options.maxFutureSkewMs ?? VALIDATION_DEFAULTS.maxFutureSkewMs,
    minTimestampMs: options.minTimestampMs ?? VALIDATION_DEFAULTS.minTimestampMs,
    requireEventId: options.requireEventId ?? VALIDATION_DEFAULTS.requireEventId,
    clock: options.clock ?? VALIDATION_DEFAULTS.clock,
  };
}

const STRING_FIELD_NAMES = Object.values(CLICKSTREAM_STRING_FIELDS) as ClickstreamStringField[];

function resolveFieldLimits(
  given: ValidatorOptions['maxFieldBytes'],
): Readonly<Record<ClickstreamStringField, number>> {
  if (given === undefined) return FIELD_BYTE_LIMITS;
  if (given === null || typeof given !== 'object')
    throw optionError(`maxFieldBytes must be an object of field → bytes, got ${describeValue(given)}`);
  for (const [field, bytes] of Object.entries(given)) {
    if (!STRING_FIELD_NAMES.includes(field as ClickstreamStringField)) {
      throw optionError(
        `maxFieldBytes.${field} is not a string field (one of ${STRING_FIELD_NAMES.join(', ')})`,
      );
    }
    if (bytes !== undefined && (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 1)) {
      throw optionError(
        `maxFieldBytes.${field} must be a positive safe integer, got ${describeValue(bytes)}`,
      );
    }
  }
  return Object.freeze({ ...FIELD_BYTE_LIMITS, ...(stripUndefined(given) as Record<string, number>) });
}

function stripUndefined(o: object): object {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** UTF-8 size of `s` above `limit` (byte length computed only when the UTF-16 length cannot decide). */
function exceedsBytes(s: string, limit: number): boolean {
  if (s.length > limit) return true;
  if (s.length * 3 <= limit) return false;
  return Buffer.byteLength(s, 'utf8') > limit;
}

/** Characters within which the first four string fields fit their limits whatever they hold (3 bytes per unit). */
function quickChars(limits: Readonly<Record<ClickstreamStringField, number>>): number {
  return Math.floor(Math.min(limits.user_id, limits.page_url, limits.event_type, limits.event_id) / 3);
}

/** `value`'s field when it is a string over its byte limit. */
function tooLarge(
  value: unknown,
  field: ClickstreamStringField,
  limits: Readonly<Record<ClickstreamStringField, number>>,
): { ok: false; error: SchemaError } | undefined {
  if (typeof value !== 'string' || !exceedsBytes(value, limits[field])) return undefined;
  const reason = `${field} is ${Buffer.byteLength(value, 'utf8')} bytes, over the limit of ${limits[field]} bytes`;
  return failure(rejection(SchemaErrorCodes.FIELD_TOO_LARGE, reason, { field }));
}

/**
 * The first string field present on `event` (field-number order) over its byte limit, if any. A projection has the
 * first five only (the projection decoder hands over the whole event when a field it skips is over its limit).
 */
function oversizedField(
  event: ClickstreamProjection,
  limits: Readonly<Record<ClickstreamStringField, number>>,
  quick: number,
): { ok: false; error: SchemaError } | undefined {
  const e = event as Partial<ClickstreamEvent>;
  // The usual case in one step: the first four fields short enough that even 3 bytes per UTF-16 unit fit.
  if (
    e.sessionId === undefined &&
    (e.userId?.length ?? 0) <= quick &&
    (e.pageUrl?.length ?? 0) <= quick &&
    (e.eventType?.length ?? 0) <= quick &&
    (e.eventId?.length ?? 0) <= quick
  )
    return undefined;
  const projected =
    tooLarge(e.userId, 'user_id', limits) ??
    tooLarge(e.pageUrl, 'page_url', limits) ??
    tooLarge(e.eventType, 'event_type', limits) ??
    tooLarge(e.eventId, 'event_id', limits);
  if (projected !== undefined || e.sessionId === undefined) return projected;
  return (
    tooLarge(e.sessionId, 'session_id', limits) ??
    tooLarge(e.referrer, 'referrer', limits) ??
    tooLarge(e.userAgent, 'user_agent', limits) ??
    tooLarge(e.device, 'device', limits) ??
    tooLarge(e.country, 'country', limits)
  );
}

function failure(error: SchemaError): { ok: false; error: SchemaError } {
  return { ok: false, error: publishInvalidEvent(error) };
}

function missing(field: string): { ok: false; error: SchemaError } {
  return failure(rejection(SchemaErrorCodes.MISSING_FIELD, `${field} is missing or empty`, { field }));
}

function decodeFailure(err: unknown): { ok: false; error: SchemaError } {
  if (isSchemaError(err)) return failure(err);
  const reason = `not a valid ClickstreamEvent: ${err instanceof Error ? err.message : String(err)}`;
  return failure(rejection(SchemaErrorCodes.DECODE_FAILED, reason, { cause: err }));
}

function check<T extends ClickstreamProjection>(
  event: T,
  nowMs: number,
  o: ResolvedValidatorOptions,
  quick = quickChars(o.maxFieldBytes),
): ValidationResult<T> {
  if (event === null || typeof event !== 'object') {
    const reason = `event must be an object, got ${describeValue(event)}`;
    return failure(rejection(SchemaErrorCodes.INVALID_FIELD, reason));
  }
  if (typeof event.pageUrl !== 'string' || event.pageUrl.length === 0) return missing('page_url');
  if (typeof event.userId !== 'string' || event.userId.length === 0) return missing('user_id');
  if (o.requireEventId && (typeof event.eventId !== 'string' || event.eventId.length === 0)) {
    return missing('event_id');
  }
  const oversized = oversizedField(event, o.maxFieldBytes, quick);
  if (oversized !== undefined) return oversized;
  const ts = event.timestamp;
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < o.minTimestampMs) {
    const reason = `timestamp ${String(ts)} is before ${new Date(o.minTimestampMs).toISOString()}`;
    return failure(rejection(SchemaErrorCodes.TIMESTAMP_OUT_OF_RANGE, reason, { field: 'timestamp' }));
  }
  if (nowMs >= 0 && ts > nowMs + o.maxFutureSkewMs) {
    const reason = `timestamp ${ts} is ${ts - nowMs} ms in the future (max skew ${o.maxFutureSkewMs} ms)`;
    return failure(rejection(SchemaErrorCodes.TIMESTAMP_OUT_OF_RANGE, reason, { field: 'timestamp' }));
  }
  const type = event.eventType;
  if (type !== 'CLICK' && type !== 'VIEW') {
    const reason =
      type === ''
        ? `event_type is missing (expected one of ${EVENT_TYPES.join(', ')})`
        : `event_type ${JSON.stringify(String(type).slice(0, 64))} is not one of ${EVENT_TYPES.join(', ')}`;
    return failure(rejection(SchemaErrorCodes.INVALID_EVENT_TYPE, reason, { field: 'event_type' }));
  }
  return { ok: true, event };
}

/**
 * Creates a validator with options validated once (use this on hot paths).
 * Checks, in order: page_url, user_id, event_id (if required), the byte size of every string field present
 * (field-number order), timestamp range, event_type.
 * @throws SchemaError TRIB_SCHEMA_INVALID_OPTION for bad options.
 */
export function createClickstreamValidator(options: ValidatorOptions = {}): ClickstreamValidator {
  const o = resolveValidatorOptions(options);
  const quick = quickChars(o.maxFieldBytes);
  return (event, nowMs) => check(event, nowMs ?? o.clock(), o, quick);
}

function oneShot(options: ValidateOptions): [ResolvedValidatorOptions, number] {
  const { nowMs, ...rest } = options ?? {};
  if (nowMs !== undefined && (typeof nowMs !== 'number' || !Number.isFinite(nowMs))) {
    throw optionError(`nowMs must be a finite number (epoch ms), got ${describeValue(nowMs)}`);
  }
  const o = resolveValidatorOptions(rest);
  return [o, nowMs ?? o.clock()];
}

/**
 * Validates a decoded event (or projection). Never throws for bad events; returns `{ ok: false, error }`.
 * @throws SchemaError TRIB_SCHEMA_INVALID_OPTION for bad options.
 */
export function validateClickstreamEvent<T extends ClickstreamProjection = ClickstreamEvent>(
  event: T,
  options: ValidateOptions = {},
): ValidationResult<T> {
  const [o, now] = oneShot(options);
  return check(event, now, o);
}

/**
 * Decodes then validates. Never throws for bad bytes: decode failures come back as TRIB_SCHEMA_DECODE_FAILED.
 * @throws SchemaError TRIB_SCHEMA_INVALID_OPTION for bad options.
 */
export function decodeAndValidateClickstreamEvent(
  bytes: Uint8Array,
  options: ValidateOptions = {},
): ValidationResult<ClickstreamEvent> {
  const [o, now] = oneShot(options);
  let event: ClickstreamEvent;
  try {
    event = decodeClickstreamEvent(bytes);
  } catch (err) {
    return decodeFailure(err);
  }
  return check(event, now, o);
}

/**
 * Projection-decodes then validates: the fast path for the clickstream job. Never throws for bad bytes.
 * @throws SchemaError TRIB_SCHEMA_INVALID_OPTION for bad options.
 */
export function decodeAndValidateClickstreamProjection(
  bytes: Uint8Array,
  options: ValidateOptions = {},
): ValidationResult<ClickstreamProjection> {
  const [o, now] = oneShot(options);
  let event: ClickstreamProjection;
  try {
    event = decodeClickstreamProjection(bytes, o.maxFieldBytes);
  } catch (err) {
    return decodeFailure(err);
  }
  return check(event, now, o);
}
