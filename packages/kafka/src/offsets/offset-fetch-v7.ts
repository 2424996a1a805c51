/**
 * OffsetFetch v7 (API key 9), the last version before v8's multi-group layout and the first with `require_stable`
 * (KIP-447): its request body and response, byte for byte as Apache Kafka's `OffsetFetchRequest.json` and
 * `OffsetFetchResponse.json` define them. v6+ is a flexible version: compact strings and arrays (unsigned varint
 * length + 1, 0 for null) and a tagged-field section at the end of every struct. No I/O and no kafkajs here.
 *
 * ```text
 * OffsetFetch Request (Version: 7) => group_id [topics] require_stable TAG_BUFFER
 *   group_id => COMPACT_STRING
 *   topics => name [partition_indexes] TAG_BUFFER            (COMPACT_NULLABLE_ARRAY; null = all topics)
 *     name => COMPACT_STRING
 *     partition_indexes => INT32                              (COMPACT_ARRAY)
 *   require_stable => BOOLEAN
 *
 * OffsetFetch Response (Version: 7) => throttle_time_ms [topics] error_code TAG_BUFFER
 *   throttle_time_ms => INT32
 *   topics => name [partitions] TAG_BUFFER                    (COMPACT_ARRAY)
 *     name => COMPACT_STRING
 *     partitions => partition_index committed_offset committed_leader_epoch metadata error_code TAG_BUFFER
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32
 *       metadata => COMPACT_NULLABLE_STRING
 *       error_code => INT16
 *   error_code => INT16
 * ```
 */
import { KafkaError, KafkaErrorCodes } from '../errors.js';

export const OFFSET_FETCH_API_KEY = 9;
export const OFFSET_FETCH_STABLE_VERSION = 7;

export interface OffsetFetchRequestTopic {
  readonly topic: string;
  readonly partitions: readonly number[];
}

export interface OffsetFetchV7Request {
  readonly groupId: string;
  /** The partitions to read; null for every topic the group committed. */
  readonly topics: readonly OffsetFetchRequestTopic[] | null;
  readonly requireStable: boolean;
}

export interface OffsetFetchResponsePartition {
  readonly partition: number;
  /** The committed offset (next to read) as a decimal string, `'-1'` when none. */
  readonly offset: string;
  /** -1 when unknown. */
  readonly leaderEpoch: number;
  readonly metadata: string | null;
  readonly errorCode: number;
}

export interface OffsetFetchV7Response {
  readonly throttleTimeMs: number;
  readonly topics: ReadonlyArray<{
    readonly topic: string;
    readonly partitions: readonly OffsetFetchResponsePartition[];
  }>;
  /** The top-level (group or coordinator) error code, 0 when none. */
  readonly errorCode: number;
}

/** The request body (what follows the request header) of OffsetFetch v7. */
export function encodeOffsetFetchV7Request(request: OffsetFetchV7Request): Buffer {
  const parts: Buffer[] = [compactString(request.groupId)];
  if (request.topics === null) {
    parts.push(uvarint(0));
  } else {
    parts.push(uvarint(request.topics.length + 1));
    for (const { topic, partitions } of request.topics) {
      const indexes = Buffer.alloc(partitions.length * 4);
      partitions.forEach((partition, i) => indexes.writeInt32BE(partition, i * 4));
      parts.push(compactString(topic), uvarint(partitions.length + 1), indexes, EMPTY_TAGS);
    }
  }
  parts.push(Buffer.of(request.requireStable ? 1 : 0), EMPTY_TAGS);
  return Buffer.concat(parts);
}

/**
 * Decodes an OffsetFetch v7 response from what follows the correlation id: the response header's tagged fields
 * (response header v1), then the body. Counts that cannot fit in the remaining bytes, truncation and trailing bytes
 * throw `TRIB_KAFKA_OFFSET_FETCH_FAILED`, so a hostile length allocates nothing.
 */
export function decodeOffsetFetchV7Response(payload: Buffer): OffsetFetchV7Response {
  const reader = new Reader(payload);
  reader.skipTaggedFields();
  const throttleTimeMs = reader.int32();
  const topics = reader.compactArray(MIN_TOPIC_BYTES, () => {
    const topic = reader.compactString();
    if (topic === null) throw malformed('a null topic name');
    const partitions = reader.compactArray(MIN_PARTITION_BYTES, () => {
      const partition: OffsetFetchResponsePartition = {
        partition: reader.int32(),
        offset: reader.int64(),
        leaderEpoch: reader.int32(),
        metadata: reader.compactString(),
        errorCode: reader.int16(),
      };
      reader.skipTaggedFields();
      return partition;
    });
    reader.skipTaggedFields();
    return { topic, partitions: partitions ?? [] };
  });
  const errorCode = reader.int16();
  reader.skipTaggedFields();
  reader.end();
  return { throttleTimeMs, topics: topics ?? [], errorCode };
}

/** A topic: name length (1), partition count (1), tagged fields (1). */
const MIN_TOPIC_BYTES = 3;
/** A partition: index (4), offset (8), leader epoch (4), metadata length (1), error code (2), tagged fields (1). */
const MIN_PARTITION_BYTES = 20;
const EMPTY_TAGS = Buffer.of(0);

function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value >>> 0;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function compactString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([uvarint(bytes.length + 1), bytes]);
}

function malformed(what: string): KafkaError {
  return new KafkaError(KafkaErrorCodes.OFFSET_FETCH_FAILED, `malformed OffsetFetch v7 response: ${what}`);
}

/** A bounds-checked cursor over a response. */
class Reader {
  readonly #buffer: Buffer;
  #offset = 0;

  constructor(buffer: Buffer) {
    this.#buffer = buffer;
  }

  int16(): number {
    this.#need(2);
    const value = this.#buffer.readInt16BE(this.#offset);
    this.#offset += 2;
    return value;
  }

  int32(): number {
    this.#need(4);
    const value = this.#buffer.readInt32BE(this.#offset);
    this.#offset += 4;
    return value;
  }

  int64(): string {
    this.#need(8);
    const value = this.#buffer.readBigInt64BE(this.#offset);
    this.#offset += 8;
    return value.toString();
  }

  /** An unsigned varint of at most 5 bytes (32 bits). */
  uvarint(): number {
    let result = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      this.#need(1);
      const byte = this.#buffer[this.#offset++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (result > 0xffff_ffff) throw malformed('a varint beyond 32 bits');
        return result;
      }
    }
    throw malformed('a varint longer than 5 bytes');
  }

  compactString(): string | null {
    const length = this.uvarint();
    if (length === 0) return null;
    this.#need(length - 1);
    const value = this.#buffer.toString('utf8', this.#offset, this.#offset + length - 1);
    this.#offset += length - 1;
    return value;
  }

  /** A compact array whose elements take at least `minBytes` each; null for a null array. */
  compactArray<T>(minBytes: number, element: () => T): T[] | null {
    const length = this.uvarint();
    if (length === 0) return null;
    const count = length - 1;
    if (count * minBytes > this.#buffer.length - this.#offset) {
      throw malformed(`${count} elements cannot fit in the ${this.#buffer.length - this.#offset} bytes left`);
    }
    const result: T[] = [];
    for (let i = 0; i < count; i++) result.push(element());
    return result;
  }

  /** A tagged-field section: a count, then per field its tag, its size and that many bytes (none are known in v7). */
  skipTaggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      const size = this.uvarint();
      this.#need(size);
      this.#offset += size;
    }
  }

  end(): void {
    if (this.#offset !== this.#buffer.length) {
      throw malformed(`${this.#buffer.length - this.#offset} bytes after the end`);
    }
  }

  #need(bytes: number): void {
    if (bytes > this.#buffer.length - this.#offset) {
      throw malformed(`truncated at byte ${this.#offset} of ${this.#buffer.length}`);
    }
  }
}
