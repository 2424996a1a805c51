/**
 * A faster drop-in for kafkajs 2.2.4's record encoder (`protocol/recordBatch/record/v0/index.js`), giving the same
 * bytes. kafkajs builds every record in a fresh `Encoder` (a zero-filled 512-byte `Buffer`), writes each varint
 * through a temporary array and `Buffer.from`, and the timestamp delta through `Long` arithmetic; on a producer that
 * sends many small records (changelogs, repartition partials) that is most of the produce path's CPU and garbage.
 * Here the record's exact size is computed first and its bytes are written once into a pooled buffer, returned as an
 * `Encoder` holding exactly those bytes (what kafkajs' record-batch encoder reads).
 *
 * Header values may be null (a header without a value: length −1 on the wire) and arrays (a repeated header, one
 * header per element, as kafkajs flattens them): kafkajs means to write both, but its size computation calls
 * `Buffer.byteLength(null)` first and throws, so a record copied with such a header (a dead letter keeping its
 * source's headers) could never be produced. Here they are written; every record kafkajs can encode gets its bytes.
 *
 * Records outside the fast path (keys, values or header values that are neither Buffers, strings nor null, deltas
 * that are not integers or beyond ±2^30 / ±2^47) go through kafkajs' own encoder, errors included.
 */
import { patchKafkajsModule, supportedKafkajs } from './module-patch.js';

export interface KafkajsEncoder {
  buf: Buffer;
  offset: number;
}

export interface KafkajsEncodingInternals {
  /** kafkajs' `protocol/encoder.js` class (its prototype gives the returned encoders their methods). */
  Encoder: { prototype: object };
  /** kafkajs' own record encoder, for the records outside the fast path. */
  recordEncoder: (record: RecordArgs) => KafkajsEncoder;
  /** Called when a record goes through kafkajs' own encoder (tests and diagnostics). */
  onFallback?: () => void;
}

export interface RecordArgs {
  offsetDelta?: unknown;
  timestampDelta?: unknown;
  key?: unknown;
  value?: unknown;
  headers?: unknown;
}

const MAX_INT31 = 2 ** 30;
const MAX_DELTA_48 = 2 ** 47;

/** Returns a function with the signature and bytes of kafkajs' record encoder. */
export function createRecordEncoder(k: KafkajsEncodingInternals): (record: RecordArgs) => KafkajsEncoder {
  const fallback = (record: RecordArgs): KafkajsEncoder => {
    k.onFallback?.();
    return k.recordEncoder(record);
  };
  return (record) => {
    const offsetDelta = record.offsetDelta ?? 0;
    const timestampDelta = record.timestampDelta ?? 0;
    const { key, value } = record;
    const headers = record.headers ?? {};
    const keyLength = payloadLength(key);
    const valueLength = payloadLength(value);
    if (
      typeof offsetDelta !== 'number' ||
      !Number.isInteger(offsetDelta) ||
      Math.abs(offsetDelta) >= MAX_INT31 ||
      typeof timestampDelta !== 'number' ||
      !Number.isInteger(timestampDelta) ||
      Math.abs(timestampDelta) >= MAX_DELTA_48 ||
      keyLength === undefined ||
      valueLength === undefined ||
      typeof headers !== 'object' ||
      headers === null ||
      Array.isArray(headers)
    ) {
      return fallback(record);
    }
    // Headers: kafkajs walks Object.keys(headers), an array value giving one header per element.
    const names = Object.keys(headers);
    const headerValues = headers as Record<string, unknown>;
    let headerCount = 0;
    let headersSize = 0;
    for (const name of names) {
      const nameBytes = Buffer.byteLength(name, 'utf8');
      const nameSize = varIntSize(zigzag(nameBytes)) + nameBytes;
      const v = headerValues[name];
      if (Array.isArray(v)) {
        for (const one of v as unknown[]) {
          const length = payloadLength(one);
          if (length === undefined) return fallback(record);
          headersSize += nameSize + bytesSize(length);
        }
        headerCount += v.length;
      } else {
        const length = payloadLength(v);
        if (length === undefined) return fallback(record);
        headersSize += nameSize + bytesSize(length);
        headerCount++;
      }
    }
    headersSize += varIntSize(zigzag(headerCount));
    const tsZigzag = zigzag(timestampDelta);
    const body =
      1 +
      varIntSize(tsZigzag) +
      varIntSize(zigzag(offsetDelta)) +
      bytesSize(keyLength) +
      bytesSize(valueLength) +
      headersSize;
    const total = varIntSize(zigzag(body)) + body;
    const buf = Buffer.allocUnsafe(total);
    let pos = writeVarInt(buf, 0, zigzag(body));
    buf[pos++] = 0; // record attributes: unused
    pos = writeVarInt(buf, pos, tsZigzag);
    pos = writeVarInt(buf, pos, zigzag(offsetDelta));
    pos = writeBytes(buf, pos, key, keyLength);
    pos = writeBytes(buf, pos, value, valueLength);
    pos = writeVarInt(buf, pos, zigzag(headerCount));
    for (const name of names) {
      const v = headerValues[name];
      if (Array.isArray(v)) for (const one of v as unknown[]) pos = writeHeader(buf, pos, name, one);
      else pos = writeHeader(buf, pos, name, v);
    }
    const encoder = Object.create(k.Encoder.prototype) as KafkajsEncoder;
    encoder.buf = buf;
    encoder.offset = pos;
    return encoder;
  };
}

/** Byte length of a Buffer or string payload (UTF-8, as kafkajs writes strings); -1 for null; undefined otherwise. */
function payloadLength(v: unknown): number | undefined {
  if (v === null || v === undefined) return -1;
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (Buffer.isBuffer(v)) return v.length;
  return undefined;
}

/**
 * Zigzag of an integer below 2^47 in magnitude, as a non-negative number: kafkajs' encodeZigZag on the 31-bit range
 * and its encodeZigZag64 on the rest give the same value there.
 */
function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function varIntSize(unsigned: number): number {
  let size = 1;
  while (unsigned >= 0x80) {
    unsigned = Math.floor(unsigned / 128);
    size++;
  }
  return size;
}

function writeVarInt(buf: Buffer, pos: number, unsigned: number): number {
  while (unsigned >= 0x80) {
    buf[pos++] = (unsigned % 128) | 0x80;
    unsigned = Math.floor(unsigned / 128);
  }
  buf[pos++] = unsigned;
  return pos;
}

function writeHeader(buf: Buffer, pos: number, name: string, value: unknown): number {
  const nameBytes = Buffer.byteLength(name, 'utf8');
  pos = writeVarInt(buf, pos, zigzag(nameBytes));
  pos += buf.write(name, pos, nameBytes, 'utf8');
  return writeBytes(buf, pos, value, payloadLength(value)!);
}

function bytesSize(length: number): number {
  return length < 0 ? 1 : varIntSize(length * 2) + length;
}

function writeBytes(buf: Buffer, pos: number, payload: unknown, length: number): number {
  if (length < 0) {
    buf[pos] = 1; // zigzag(-1)
    return pos + 1;
  }
  pos = writeVarInt(buf, pos, length * 2);
  if (typeof payload === 'string') buf.write(payload, pos, length, 'utf8');
  else (payload as Buffer).copy(buf, pos);
  return pos + length;
}

/**
 * Installs the record encoder into the kafkajs 2.2.4 that `require` resolves, if its produce request (which keeps a
 * reference) is not loaded yet; returns whether it is in place. `TRIBUTARY_KAFKAJS_ENCODING=kafkajs` turns it off.
 */
export function installRecordEncoding(
  require: NodeJS.Require,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.TRIBUTARY_KAFKAJS_ENCODING === 'kafkajs' || !supportedKafkajs(require)) return false;
  return patchKafkajsModule<KafkajsEncodingInternals['recordEncoder']>(
    require,
    'kafkajs/src/protocol/recordBatch/record/v0/index.js',
    'kafkajs/src/protocol/requests/produce/v3/request.js',
    (recordEncoder) =>
      createRecordEncoder({
        Encoder: require('kafkajs/src/protocol/encoder.js') as { prototype: object },
        recordEncoder,
      }),
  );
}
