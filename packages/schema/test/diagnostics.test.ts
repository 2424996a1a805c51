import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeClickstreamEvent } from '../src/clickstream-event.js';
import { DIAGNOSTICS_CHANNELS } from '../src/diagnostics.js';
import type { InvalidEventMessage } from '../src/diagnostics.js';
import {
  decodeAndValidateClickstreamProjection,
  createClickstreamValidator,
  validateClickstreamEvent,
} from '../src/validation.js';
import { sampleEvent } from './helpers/events.js';

const NOW = 1_700_000_000_000;
const received: InvalidEventMessage[] = [];
const listener = (message: unknown): void => {
  received.push(message as InvalidEventMessage);
};

afterEach(() => {
  unsubscribe(DIAGNOSTICS_CHANNELS.invalidEvent, listener);
  received.length = 0;
});

describe('tributary:schema:invalid-event', () => {
  it('publishes every validation and decode failure with the error the caller gets', () => {
    subscribe(DIAGNOSTICS_CHANNELS.invalidEvent, listener);
    const invalid = validateClickstreamEvent(sampleEvent({ eventType: 'BUY', timestamp: NOW }), {
      nowMs: NOW,
    });
    const garbage = decodeAndValidateClickstreamProjection(Uint8Array.from([0x0f]), { nowMs: NOW });
    expect(received.map((m) => m.error.code)).toEqual([
      'TRIB_SCHEMA_INVALID_EVENT_TYPE',
      'TRIB_SCHEMA_DECODE_FAILED',
    ]);
    expect(invalid.ok ? undefined : invalid.error).toBe(received[0]!.error);
    expect(garbage.ok ? undefined : garbage.error).toBe(received[1]!.error);
  });

  it('publishes nothing for valid events', () => {
    subscribe(DIAGNOSTICS_CHANNELS.invalidEvent, listener);
    const validate = createClickstreamValidator({ clock: () => NOW });
    expect(validate(sampleEvent({ timestamp: NOW })).ok).toBe(true);
    expect(
      decodeAndValidateClickstreamProjection(encodeClickstreamEvent(sampleEvent({ timestamp: NOW })), {
        nowMs: NOW,
      }).ok,
    ).toBe(true);
    expect(received).toEqual([]);
  });
});
