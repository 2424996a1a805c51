import { createHash } from 'node:crypto';

/** The UUIDv5 namespace of the event ids the gateway derives (a fixed random UUID: changing it changes every id). */
export const EVENT_ID_NAMESPACE = '5f0b7c1e-3d4a-4e9b-9c61-2a8f0e6d7b13';
const NAMESPACE_BYTES = Buffer.from(EVENT_ID_NAMESPACE.replaceAll('-', ''), 'hex');

/** RFC 9562 UUIDv5: SHA-1 of namespace and name, version and variant bits set. */
export function uuidV5(name: string | Uint8Array): string {
  const hash = createHash('sha1').update(NAMESPACE_BYTES).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An Idempotency-Key the gateway takes: 1-255 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The event id the gateway gives an event sent without one: with an Idempotency-Key, UUIDv5 of the key and the
 * event's index in the request (a retry of the request gets the same ids whatever the event's content); without,
 * UUIDv5 of the event's protobuf bytes (identical events get the same id, so a retried request dedupes too).
 */
export function deriveEventId(
  idempotencyKey: string | undefined,
  index: number,
  eventBytes: Uint8Array,
): string {
  return idempotencyKey === undefined
    ? uuidV5(eventBytes)
    : uuidV5(`idempotency-key:${idempotencyKey}:${index}`);
}
