import { describe, expect, it } from 'vitest';
import { emptyClickstreamEvent } from '../src/clickstream-event.js';
import { SchemaErrorCodes } from '../src/errors.js';
import { clickstreamEventFromJSON, clickstreamEventToJSON } from '../src/json.js';
import { randomEvent, rng, sampleEvent } from './helpers/events.js';

describe('clickstreamEventToJSON', () => {
  it('uses proto (snake_case) field names and a numeric timestamp', () => {
    expect(clickstreamEventToJSON(sampleEvent())).toEqual({
      user_id: 'user_42',
      page_url: '/page/7',
      timestamp: 1_700_000_000_000,
      event_type: 'CLICK',
      event_id: '0b7e6c1e-1d0c-4bd7-9f3c-4a1f0d2d9e11',
      session_id: 'sess-1',
      referrer: 'https://example.com/',
      user_agent: 'Mozilla/5.0',
      device: 'desktop',
      country: 'DE',
    });
  });
});

describe('clickstreamEventFromJSON', () => {
  it('round-trips random events through JSON text', () => {
    const next = rng(7);
    for (let i = 0; i < 200; i++) {
      const event = randomEvent(next);
      expect(clickstreamEventFromJSON(JSON.stringify(clickstreamEventToJSON(event)))).toEqual(event);
    }
  });

  it('accepts objects, strings and bytes, camelCase names, string int64 and nulls; ignores unknown keys', () => {
    const expected = { ...emptyClickstreamEvent(), userId: 'u', pageUrl: '/p', timestamp: 1_700_000_000_000 };
    const doc = {
      userId: 'u',
      page_url: '/p',
      timestamp: '1700000000000',
      referrer: null,
      extra: { nested: true },
    };
    expect(clickstreamEventFromJSON(doc)).toEqual(expected);
    expect(clickstreamEventFromJSON(JSON.stringify(doc))).toEqual(expected);
    expect(clickstreamEventFromJSON(new TextEncoder().encode(JSON.stringify(doc)))).toEqual(expected);
  });

  it.each([
    ['not JSON', '{"page_url":', undefined],
    ['an array', [], undefined],
    ['a number', 5, undefined],
    ['null', null, undefined],
    ['a numeric page_url', { page_url: 5 }, 'page_url'],
    ['a fractional timestamp', { timestamp: 1.5 }, 'timestamp'],
    ['a non-numeric timestamp string', { timestamp: 'yesterday' }, 'timestamp'],
  ])('throws TRIB_SCHEMA_INVALID_JSON for %s', (_name, input, field) => {
    let caught: unknown;
    try {
      clickstreamEventFromJSON(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: SchemaErrorCodes.INVALID_JSON, retriable: false });
    if (field) expect(caught).toMatchObject({ field });
  });
});
