import { decodeClickstreamEvent } from './clickstream-event.js';
import { decodeClickstreamProjection } from './projection.js';
import { SchemaError, SchemaErrorCodes, isSchemaError } from './errors.js';
import { describeValue } from './describe-value.js';
import { publishInvalidEvent } from './diagnostics.js';
import { EVENT_TYPES } from './types.js';
import type { ClickstreamEvent, ClickstreamProjection } from './types.js';

/** Result of validation: the event, or the first problem found. Never thrown. */
export type ValidationResult<T extends ClickstreamProjection = ClickstreamEvent> =
  { ok: true; event: T } | { ok: false; error: SchemaError };

export interface ValidatorOptions {
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
  maxFutureSkewMs: number;
  minTimestampMs: number;
  requireEventId: boolean;
  clock: () => number;
}

export const VALIDATION_DEFAULTS = Object.freeze({
  maxFutureSkewMs: 3_600_000,
  minTimestampMs: Date.UTC(2000, 0, 1),
  requireEventId: false,
  clock: Date.now,
}) satisfies ResolvedValidatorOptions;

export type ClickstreamValidator = <T extends ClickstreamProjection>(event: T) => ValidationResult<T>;

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
  if (options.requireEventId !== undefined && typeof options.requireEventId !== 'boolean') {
    throw optionError(`requireEventId must be a boolean, got ${describeValue(options.requireEventId)}`);
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw optionError(`clock must be a function returning epoch ms, got ${describeValue(options.clock)}`);
  }
  return {
    maxFutureSkewMs: options.maxFutureSkewMs ?? VALIDATION_DEFAULTS.maxFutureSkewMs,
    minTimestampMs: options.minTimestampMs ?? VALIDATION_DEFAULTS.minTimestampMs,
    requireEventId: options.requireEventId ?? VALIDATION_DEFAULTS.requireEventId,
    clock: options.clock ?? VALIDATION_DEFAULTS.clock,
  };
}

function failure(error: SchemaError): { ok: false; error: SchemaError } {
  return { ok: false, error: publishInvalidEvent(error) };
}

function missing(field: string): { ok: false; error: SchemaError } {
  return failure(new SchemaError(SchemaErrorCodes.MISSING_FIELD, `${field} is missing or empty`, { field }));
}

function decodeFailure(err: unknown): { ok: false; error: SchemaError } {
  if (isSchemaError(err)) return failure(err);
  const reason = `not a valid ClickstreamEvent: ${err instanceof Error ? err.message : String(err)}`;
  return failure(new SchemaError(SchemaErrorCodes.DECODE_FAILED, reason, { cause: err }));
}

function check<T extends ClickstreamProjection>(
  event: T,
  nowMs: number,
  o: ResolvedValidatorOptions,
): ValidationResult<T> {
  if (event === null || typeof event !== 'object') {
    const reason = `event must be an object, got ${describeValue(event)}`;
    return failure(new SchemaError(SchemaErrorCodes.INVALID_FIELD, reason));
  }
  if (typeof event.pageUrl !== 'string' || event.pageUrl.length === 0) return missing('page_url');
  if (typeof event.userId !== 'string' || event.userId.length === 0) return missing('user_id');
  if (o.requireEventId && (typeof event.eventId !== 'string' || event.eventId.length === 0)) {
    return missing('event_id');
  }
  const ts = event.timestamp;
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < o.minTimestampMs) {
    const reason = `timestamp ${String(ts)} is before ${new Date(o.minTimestampMs).toISOString()}`;
    return failure(new SchemaError(SchemaErrorCodes.TIMESTAMP_OUT_OF_RANGE, reason, { field: 'timestamp' }));
  }
  if (ts > nowMs + o.maxFutureSkewMs) {
    const reason = `timestamp ${ts} is ${ts - nowMs} ms in the future (max skew ${o.maxFutureSkewMs} ms)`;
    return failure(new SchemaError(SchemaErrorCodes.TIMESTAMP_OUT_OF_RANGE, reason, { field: 'timestamp' }));
  }
  const type = event.eventType;
  if (type !== 'CLICK' && type !== 'VIEW') {
    const reason =
      type === ''
        ? `event_type is missing (expected one of ${EVENT_TYPES.join(', ')})`
        : `event_type ${JSON.stringify(String(type).slice(0, 64))} is not one of ${EVENT_TYPES.join(', ')}`;
    return failure(new SchemaError(SchemaErrorCodes.INVALID_EVENT_TYPE, reason, { field: 'event_type' }));
  }
  return { ok: true, event };
}

/**
 * Creates a validator with options validated once (use this on hot paths).
 * Checks, in order: page_url, user_id, event_id (if required), timestamp range, event_type.
 * @throws SchemaError TRIB_SCHEMA_INVALID_OPTION for bad options.
 */
export function createClickstreamValidator(options: ValidatorOptions = {}): ClickstreamValidator {
  const o = resolveValidatorOptions(options);
  return (event) => check(event, o.clock(), o);
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
    event = decodeClickstreamProjection(bytes);
  } catch (err) {
    return decodeFailure(err);
  }
  return check(event, now, o);
}
