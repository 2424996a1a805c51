import { SchemaError, SchemaErrorCodes } from './errors.js';
import { describeValue } from './describe-value.js';

/**
 * Confluent Schema Registry wire format for protobuf:
 *   byte 0      magic byte 0
 *   bytes 1..4  schema id, 32-bit big-endian
 *   then        message indexes: zig-zag varint count, then each index as a zig-zag varint;
 *               the common case [0] (first message in the file) is written as a single 0 byte
 *   rest        the protobuf payload
 */
export const REGISTRY_MAGIC_BYTE = 0;

/** Upper bound on the message-index array length we accept when decoding (nesting depth of the message). */
const MAX_MESSAGE_INDEXES = 64;

export interface RegistryFrame {
  schemaId: number;
  messageIndexes: number[];
  payload: Uint8Array;
}

function frameError(reason: string): SchemaError {
  return new SchemaError(SchemaErrorCodes.INVALID_FRAME, reason);
}

function zigzagSize(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let size = 1;
  while (v > 0x7f) {
    v >>>= 7;
    size++;
  }
  return size;
}

function writeZigzag(buf: Uint8Array, pos: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v > 0x7f) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/**
 * Prefixes a protobuf payload with the schema-registry header.
 * @param messageIndexes path of the message type in the schema file; default [0] (first top-level message).
 * @throws SchemaError TRIB_SCHEMA_INVALID_FRAME for an invalid schema id or index.
 */
export function encodeRegistryFrame(
  schemaId: number,
  payload: Uint8Array,
  messageIndexes: number[] = [0],
): Uint8Array {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) {
    throw frameError(`schemaId must be an integer in [0, 2147483647], got ${describeValue(schemaId)}`);
  }
  if (!(payload instanceof Uint8Array))
    throw frameError(`payload must be a Uint8Array, got ${describeValue(payload)}`);
  if (
    !Array.isArray(messageIndexes) ||
    messageIndexes.length === 0 ||
    messageIndexes.length > MAX_MESSAGE_INDEXES
  ) {
    throw frameError(`messageIndexes must be an array of 1 to ${MAX_MESSAGE_INDEXES} indexes`);
  }
  for (const index of messageIndexes) {
    if (!Number.isInteger(index) || index < 0 || index > 0x3fffffff) {
      throw frameError(`messageIndexes entries must be non-negative integers, got ${describeValue(index)}`);
    }
  }
  const single0 = messageIndexes.length === 1 && messageIndexes[0] === 0;
  let headerSize = 5;
  if (single0) headerSize += 1;
  else {
    headerSize += zigzagSize(messageIndexes.length);
    for (const index of messageIndexes) headerSize += zigzagSize(index);
  }
  const out = new Uint8Array(headerSize + payload.length);
  out[0] = REGISTRY_MAGIC_BYTE;
  out[1] = schemaId >>> 24;
  out[2] = (schemaId >>> 16) & 0xff;
  out[3] = (schemaId >>> 8) & 0xff;
  out[4] = schemaId & 0xff;
  let pos = 5;
  if (single0) out[pos++] = 0;
  else {
    pos = writeZigzag(out, pos, messageIndexes.length);
    for (const index of messageIndexes) pos = writeZigzag(out, pos, index);
  }
  out.set(payload, pos);
  return out;
}

/**
 * Splits a schema-registry framed message into schema id, message indexes and payload (a view, not a copy).
 * @throws SchemaError TRIB_SCHEMA_INVALID_FRAME on a bad magic byte, truncation or malformed indexes.
 */
export function decodeRegistryFrame(bytes: Uint8Array): RegistryFrame {
  if (!(bytes instanceof Uint8Array)) throw frameError(`expected a Uint8Array, got ${describeValue(bytes)}`);
  if (bytes.length < 6) throw frameError(`frame truncated: ${bytes.length} bytes, need at least 6`);
  if (bytes[0] !== REGISTRY_MAGIC_BYTE) {
    throw frameError(
      `unknown magic byte ${bytes[0]} (expected ${REGISTRY_MAGIC_BYTE}): not a schema-registry frame`,
    );
  }
  const schemaId = ((bytes[1]! << 24) | (bytes[2]! << 16) | (bytes[3]! << 8) | bytes[4]!) >>> 0;
  let pos = 5;
  const readZigzag = (what: string): number => {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= bytes.length) throw frameError(`frame truncated while reading ${what}`);
      const b = bytes[pos++]!;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) return (result >>> 1) ^ -(result & 1);
    }
    throw frameError(`malformed varint in ${what}`);
  };
  const count = readZigzag('message index count');
  let messageIndexes: number[];
  if (count === 0) messageIndexes = [0];
  else {
    if (count < 0 || count > MAX_MESSAGE_INDEXES) throw frameError(`invalid message index count ${count}`);
    messageIndexes = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      const index = readZigzag('message indexes');
      if (index < 0) throw frameError(`negative message index ${index}`);
      messageIndexes[i] = index;
    }
  }
  return { schemaId, messageIndexes, payload: bytes.subarray(pos) };
}
