import { describe, expect, it } from 'vitest';
import { deriveEventId, IDEMPOTENCY_KEY, uuidV5 } from '../../src/gateway/event-id.js';

describe('derived event ids', () => {
  it('are RFC 9562 version-5 UUIDs, the same for the same input', () => {
    const id = uuidV5('x');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV5('x')).toBe(id);
    expect(uuidV5('y')).not.toBe(id);
  });

  it('come from the Idempotency-Key and index when there is a key, else from the event bytes', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const other = new Uint8Array([1, 2, 4]);
    expect(deriveEventId('req-1', 0, bytes)).toBe(deriveEventId('req-1', 0, other));
    expect(deriveEventId('req-1', 0, bytes)).not.toBe(deriveEventId('req-1', 1, bytes));
    expect(deriveEventId('req-1', 0, bytes)).not.toBe(deriveEventId('req-2', 0, bytes));
    expect(deriveEventId(undefined, 0, bytes)).toBe(deriveEventId(undefined, 5, bytes));
    expect(deriveEventId(undefined, 0, bytes)).not.toBe(deriveEventId(undefined, 0, other));
  });

  it('take Idempotency-Keys of 1-255 visible ASCII characters', () => {
    expect(IDEMPOTENCY_KEY.test('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe(true);
    expect(IDEMPOTENCY_KEY.test('')).toBe(false);
    expect(IDEMPOTENCY_KEY.test('a b')).toBe(false);
    expect(IDEMPOTENCY_KEY.test('x'.repeat(256))).toBe(false);
  });
});
