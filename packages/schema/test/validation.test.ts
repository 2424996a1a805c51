import { describe, expect, it } from 'vitest';
import { encodeClickstreamEvent } from '../src/clickstream-event.js';
import { SchemaErrorCodes } from '../src/errors.js';
import {
  FIELD_BYTE_LIMITS,
  RECORD_FUTURE_SKEW_MS,
  VALIDATION_DEFAULTS,
  createClickstreamValidator,
  decodeAndValidateClickstreamEvent,
  decodeAndValidateClickstreamProjection,
  validateClickstreamEvent,
} from '../src/validation.js';
import type { ValidationResult } from '../src/validation.js';
import { sampleEvent } from './helpers/events.js';

const NOW = 1_700_000_000_000;

function errorOf<T extends object>(
  result: ValidationResult<T & import('../src/types.js').ClickstreamProjection>,
) {
  if (result.ok) throw new Error('expected a validation failure');
  return result.error;
}

describe('validateClickstreamEvent', () => {
  it('accepts a valid event and returns it unchanged', () => {
    const event = sampleEvent({ timestamp: NOW });
    const result = validateClickstreamEvent(event, { nowMs: NOW });
    expect(result).toEqual({ ok: true, event });
    if (result.ok) expect(result.event).toBe(event);
  });

  it.each([
    ['page_url', { pageUrl: '' }],
    ['user_id', { userId: '' }],
  ])('reports missing %s', (field, override) => {
    const error = errorOf(
      validateClickstreamEvent(sampleEvent({ timestamp: NOW, ...override }), { nowMs: NOW }),
    );
    expect(error).toMatchObject({ code: SchemaErrorCodes.MISSING_FIELD, field, retriable: false });
    expect(error.reason).toContain(field);
  });

  it('requires event_id only when requireEventId is set', () => {
    const event = sampleEvent({ timestamp: NOW, eventId: '' });
    expect(validateClickstreamEvent(event, { nowMs: NOW }).ok).toBe(true);
    expect(errorOf(validateClickstreamEvent(event, { nowMs: NOW, requireEventId: true }))).toMatchObject({
      code: SchemaErrorCodes.MISSING_FIELD,
      field: 'event_id',
    });
  });

  it('rejects timestamps more than maxFutureSkewMs ahead (default 1 h)', () => {
    expect(VALIDATION_DEFAULTS.maxFutureSkewMs).toBe(3_600_000);
    expect(validateClickstreamEvent(sampleEvent({ timestamp: NOW + 3_600_000 }), { nowMs: NOW }).ok).toBe(
      true,
    );
    const error = errorOf(
      validateClickstreamEvent(sampleEvent({ timestamp: NOW + 3_600_001 }), { nowMs: NOW }),
    );
    expect(error).toMatchObject({ code: SchemaErrorCodes.TIMESTAMP_OUT_OF_RANGE, field: 'timestamp' });
    expect(error.reason).toContain('future');
    expect(
      validateClickstreamEvent(sampleEvent({ timestamp: NOW + 10_000 }), {
        nowMs: NOW,
        maxFutureSkewMs: 5_000,
      }).ok,
    ).toBe(false);
  });

  it('rejects timestamps before 2000-01-01 and a missing (0) timestamp', () => {
    const min = Date.UTC(2000, 0, 1);
    expect(validateClickstreamEvent(sampleEvent({ timestamp: min }), { nowMs: NOW }).ok).toBe(true);
    for (const timestamp of [min - 1, 0, -5]) {
      const error = errorOf(validateClickstreamEvent(sampleEvent({ timestamp }), { nowMs: NOW }));
      expect(error).toMatchObject({ code: SchemaErrorCodes.TIMESTAMP_OUT_OF_RANGE, field: 'timestamp' });
      expect(error.reason).toContain('2000-01-01');
    }
  });

  it('rejects unknown and missing event types', () => {
    for (const eventType of ['click', 'PURCHASE', '']) {
      expect(
        errorOf(validateClickstreamEvent(sampleEvent({ timestamp: NOW, eventType }), { nowMs: NOW })),
      ).toMatchObject({
        code: SchemaErrorCodes.INVALID_EVENT_TYPE,
        field: 'event_type',
      });
    }
    expect(
      validateClickstreamEvent(sampleEvent({ timestamp: NOW, eventType: 'VIEW' }), { nowMs: NOW }).ok,
    ).toBe(true);
  });

  it('reports page_url before user_id when both are missing', () => {
    const error = errorOf(validateClickstreamEvent(sampleEvent({ userId: '', pageUrl: '' }), { nowMs: NOW }));
    expect(error.field).toBe('page_url');
  });

  it('fails on bad options, naming the option', () => {
    const event = sampleEvent();
    expect(() => validateClickstreamEvent(event, { maxFutureSkewMs: -1 })).toThrow(
      /maxFutureSkewMs must be a non-negative/,
    );
    expect(() => validateClickstreamEvent(event, { nowMs: Number.NaN })).toThrow(
      /nowMs must be a finite number/,
    );
    expect(() => validateClickstreamEvent(event, { requireEventId: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({
        code: SchemaErrorCodes.INVALID_OPTION,
        message: expect.stringContaining('requireEventId'),
      }),
    );
    expect(() => createClickstreamValidator({ clock: 5 as unknown as () => number })).toThrow(
      /clock must be a function/,
    );
    expect(() => createClickstreamValidator({ minTimestampMs: 1.5 })).toThrow(/minTimestampMs/);
    expect(() => createClickstreamValidator({ maxFieldBytes: { page_url: 0 } })).toThrow(
      /maxFieldBytes\.page_url must be a positive safe integer/,
    );
    expect(() =>
      createClickstreamValidator({ maxFieldBytes: { pageUrl: 10 } as unknown as { page_url: number } }),
    ).toThrow(/maxFieldBytes\.pageUrl is not a string field/);
  });

  it('rejects a string field over its byte limit (UTF-8 bytes, not characters), naming the field and the sizes', () => {
    expect(FIELD_BYTE_LIMITS.page_url).toBe(8192);
    const url = '/' + 'a'.repeat(8191);
    expect(validateClickstreamEvent(sampleEvent({ timestamp: NOW, pageUrl: url }), { nowMs: NOW }).ok).toBe(
      true,
    );
    const over = errorOf(
      validateClickstreamEvent(sampleEvent({ timestamp: NOW, pageUrl: url + 'b' }), { nowMs: NOW }),
    );
    expect(over).toMatchObject({
      code: SchemaErrorCodes.FIELD_TOO_LARGE,
      field: 'page_url',
      reason: 'page_url is 8193 bytes, over the limit of 8192 bytes',
    });
    // 100 three-byte characters: 100 UTF-16 units but 300 bytes, over a 256-byte event_id limit.
    const wide = errorOf(
      validateClickstreamEvent(sampleEvent({ timestamp: NOW, eventId: '€'.repeat(100) }), { nowMs: NOW }),
    );
    expect(wide).toMatchObject({ code: SchemaErrorCodes.FIELD_TOO_LARGE, field: 'event_id' });
    // A 600 KB page_url (the poison pill that once halted a job) is an ordinary dead letter.
    const huge = errorOf(
      validateClickstreamEvent(sampleEvent({ timestamp: NOW, pageUrl: 'x'.repeat(600_000) }), { nowMs: NOW }),
    );
    expect(huge.reason).toBe('page_url is 600000 bytes, over the limit of 8192 bytes');
    // Limits are configurable per field; the others keep their defaults; the first field in field order wins.
    const custom = { maxFieldBytes: { user_id: 4 }, nowMs: NOW };
    expect(errorOf(validateClickstreamEvent(sampleEvent({ timestamp: NOW }), custom))).toMatchObject({
      field: 'user_id',
      reason: 'user_id is 7 bytes, over the limit of 4 bytes',
    });
  });
});

describe('createClickstreamValidator', () => {
  it("checks the future skew against a per-call now (a Kafka record's timestamp), skipped when it is negative", () => {
    const validate = createClickstreamValidator({ clock: () => 0, maxFutureSkewMs: RECORD_FUTURE_SKEW_MS });
    expect(RECORD_FUTURE_SKEW_MS).toBe(300_000);
    const event = sampleEvent({ timestamp: NOW + 300_000 });
    expect(validate(event, NOW).ok).toBe(true);
    const ahead = errorOf(validate(sampleEvent({ timestamp: NOW + 300_001 }), NOW));
    expect(ahead).toMatchObject({ code: SchemaErrorCodes.TIMESTAMP_OUT_OF_RANGE, field: 'timestamp' });
    expect(ahead.reason).toBe(`timestamp ${NOW + 300_001} is 300001 ms in the future (max skew 300000 ms)`);
    // -1: a record without a timestamp (magic v0); the check cannot be made, the event is not rejected for it.
    expect(validate(sampleEvent({ timestamp: NOW + 3_600_000 }), -1).ok).toBe(true);
  });

  it('rejects without a stack trace (a verdict on data) and leaves Error.stackTraceLimit as it was', () => {
    const validate = createClickstreamValidator({ clock: () => NOW, maxFutureSkewMs: 1000 });
    const limit = Error.stackTraceLimit;
    const rejected = errorOf(validate(sampleEvent({ timestamp: NOW + 5000 })));
    expect(rejected).toBeInstanceOf(Error);
    expect(rejected.stack).toBe(`SchemaError: ${rejected.message}`);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('elsewhere').stack).toMatch(/\n\s+at /);
  });

  it('uses the injected clock for every call', () => {
    let now = NOW;
    const validate = createClickstreamValidator({ clock: () => now, maxFutureSkewMs: 1000 });
    const event = sampleEvent({ timestamp: NOW + 5000 });
    expect(validate(event).ok).toBe(false);
    now = NOW + 4000;
    expect(validate(event).ok).toBe(true);
  });
});

describe('decodeAndValidate*', () => {
  it('decodes and validates valid bytes', () => {
    const event = sampleEvent({ timestamp: NOW });
    const bytes = encodeClickstreamEvent(event);
    expect(decodeAndValidateClickstreamEvent(bytes, { nowMs: NOW })).toEqual({ ok: true, event });
    expect(decodeAndValidateClickstreamProjection(bytes, { nowMs: NOW })).toEqual({
      ok: true,
      event: {
        userId: event.userId,
        pageUrl: event.pageUrl,
        timestamp: NOW,
        eventType: 'CLICK',
        eventId: event.eventId,
      },
    });
  });

  it('never throws on garbage: returns TRIB_SCHEMA_DECODE_FAILED', () => {
    const garbage = new TextEncoder().encode('{"page_url":"/x"}');
    for (const decode of [decodeAndValidateClickstreamEvent, decodeAndValidateClickstreamProjection]) {
      const result = decode(garbage, { nowMs: NOW });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe(SchemaErrorCodes.DECODE_FAILED);
    }
  });

  it('reports validation errors of decodable bytes', () => {
    const bytes = encodeClickstreamEvent(sampleEvent({ pageUrl: '', timestamp: NOW }));
    const result = decodeAndValidateClickstreamEvent(bytes, { nowMs: NOW });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({ code: SchemaErrorCodes.MISSING_FIELD, field: 'page_url' });
  });
});
