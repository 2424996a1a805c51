import { describe, expect, it } from 'vitest';
import { encodeClickstreamEvent } from '../src/clickstream-event.js';
import { SchemaErrorCodes } from '../src/errors.js';
import {
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
  });
});

describe('createClickstreamValidator', () => {
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
