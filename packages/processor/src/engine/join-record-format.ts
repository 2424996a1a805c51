import { PROCESSOR_ERROR_CODES, ProcessorError, isProcessorError } from '../errors.js';
import { ByteReader, ByteWriter, utf8Size } from '../state/binary.js';
import { REPARTITION_FORMAT_VERSION } from './repartition-format.js';

/**
 * Records on the repartition topic of an interval join, between the JoinSideTasks (stage 1, one per source topic)
 * and the IntervalJoinTask (stage 2). The framing of the aggregation's repartition format (version byte 2, then a
 * type byte) with types of their own, so a record of one kind of repartition topic is rejected by the other's reader:
 *
 * - event:     `u8 2 | u8 3 | u8 side | u32 upstreamPartition | u32 partitionCount | f64 sourceOffset |
 *               f64 eventTime | f64 sourceTimestamp | str joinKey | str sourceTopic | u8 hasKey [blob key] |
 *               u32 headerCount (str name, str value)* | u8 hasValue [value to the end]` — one event of a side that
 *               passed that side's event-time contract (valid, on time, not a duplicate), with its source record;
 *               the record key is the join key.
 * - watermark: `u8 2 | u8 4 | u8 side | u32 upstreamPartition | u32 partitionCount | f64 watermark` — the data
 *               watermark of one partition of a side (−∞: nothing seen yet); broadcast to every partition.
 *
 * `side` is 0 (left) or 1 (right); `partitionCount` is the partition count of the side's source topic, so the join
 * knows how many upstream watermarks of that side to wait for. Strings are `u32 byteLength | UTF-8`.
 * Anything else is rejected with `TRIB_PROC_REPARTITION_RECORD_INVALID`.
 */
const TYPE_EVENT = 3;
const TYPE_WATERMARK = 4;

export const JOIN_SIDES = ['left', 'right'] as const;
export type JoinSide = (typeof JOIN_SIDES)[number];

/** The source record of a joined event, as the JoinSideTask read it (what the join decodes again). */
export interface JoinSourceRecord {
  readonly topic: string;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface JoinEventRecord {
  readonly type: 'event';
  readonly side: JoinSide;
  readonly upstreamPartition: number;
  readonly partitionCount: number;
  readonly joinKey: string;
  readonly eventTime: number;
  readonly source: JoinSourceRecord;
}

export interface JoinWatermarkRecord {
  readonly type: 'watermark';
  readonly side: JoinSide;
  readonly upstreamPartition: number;
  readonly partitionCount: number;
  /** −∞ when the upstream partition has seen no valid event */
  readonly watermark: number;
}

export type JoinRecord = JoinEventRecord | JoinWatermarkRecord;

/** version, type, side, upstream partition, partition count */
const HEADER_BYTES = 11;

export function encodeJoinRecord(record: JoinRecord): Buffer {
  const side = record.side === 'left' ? 0 : 1;
  if (record.type === 'watermark') {
    return new ByteWriter(HEADER_BYTES + 8)
      .u8(REPARTITION_FORMAT_VERSION)
      .u8(TYPE_WATERMARK)
      .u8(side)
      .u32(record.upstreamPartition)
      .u32(record.partitionCount)
      .f64(record.watermark)
      .done();
  }
  const s = record.source;
  const headers = Object.entries(s.headers);
  let size = HEADER_BYTES + 24 + utf8Size(record.joinKey) + utf8Size(s.topic) + 1 + 4 + 1;
  if (s.key !== null) size += 4 + s.key.length;
  for (const [name, value] of headers) size += utf8Size(name) + utf8Size(value);
  if (s.value !== null) size += s.value.length;
  const w = new ByteWriter(size)
    .u8(REPARTITION_FORMAT_VERSION)
    .u8(TYPE_EVENT)
    .u8(side)
    .u32(record.upstreamPartition)
    .u32(record.partitionCount)
    .f64(s.offset)
    .f64(record.eventTime)
    .f64(s.timestamp)
    .utf8(record.joinKey)
    .utf8(s.topic)
    .u8(s.key === null ? 0 : 1);
  if (s.key !== null) w.blob(s.key);
  w.u32(headers.length);
  for (const [name, value] of headers) w.utf8(name).utf8(value);
  w.u8(s.value === null ? 0 : 1);
  if (s.value !== null) w.bytes(s.value);
  return w.done();
}

function invalid(reason: string, cause?: unknown): ProcessorError {
  return new ProcessorError(
    PROCESSOR_ERROR_CODES.REPARTITION_RECORD_INVALID,
    `invalid join record: ${reason}`,
    cause === undefined ? {} : { cause },
  );
}

/** Decodes a join record; throws `TRIB_PROC_REPARTITION_RECORD_INVALID`. */
export function decodeJoinRecord(bytes: Buffer | null): JoinRecord {
  if (bytes === null) throw invalid('null value');
  try {
    return decode(bytes);
  } catch (error) {
    throw isProcessorError(error, PROCESSOR_ERROR_CODES.REPARTITION_RECORD_INVALID)
      ? error
      : invalid('malformed', error);
  }
}

function decode(bytes: Buffer): JoinRecord {
  const r = new ByteReader(bytes, invalid);
  const version = r.u8('version');
  if (version !== REPARTITION_FORMAT_VERSION) throw invalid(`unsupported format version ${version}`);
  const type = r.u8('type');
  if (type !== TYPE_EVENT && type !== TYPE_WATERMARK) throw invalid(`not a join record (type ${type})`);
  const sideByte = r.u8('side');
  if (sideByte > 1) throw invalid(`side must be 0 or 1, got ${sideByte}`);
  const side = JOIN_SIDES[sideByte]!;
  const upstreamPartition = r.u32('upstreamPartition');
  const partitionCount = r.u32('partitionCount');
  if (upstreamPartition >= partitionCount)
    throw invalid(`upstream partition ${upstreamPartition} of a side with ${partitionCount} partitions`);
  if (type === TYPE_WATERMARK) {
    const watermark = r.f64('watermark');
    if (watermark !== Number.NEGATIVE_INFINITY && !Number.isSafeInteger(watermark))
      throw invalid(`watermark must be an integer or −∞, got ${watermark}`);
    r.end();
    return { type: 'watermark', side, upstreamPartition, partitionCount, watermark };
  }
  const offset = r.int('sourceOffset');
  const eventTime = r.int('eventTime');
  const timestamp = r.int('sourceTimestamp');
  const joinKey = r.utf8('joinKey');
  const topic = r.utf8('sourceTopic');
  const hasKey = r.u8('hasKey');
  if (hasKey > 1) throw invalid('hasKey must be 0 or 1');
  const key = hasKey === 1 ? r.blob('key') : null;
  const headerCount = r.u32('headerCount');
  // No prototype: a header named `__proto__` is a header like any other.
  const headers = Object.create(null) as Record<string, string>;
  for (let i = 0; i < headerCount; i++) {
    const name = r.utf8('header name');
    headers[name] = r.utf8('header value');
  }
  const hasValue = r.u8('hasValue');
  if (hasValue > 1) throw invalid('hasValue must be 0 or 1');
  const value = hasValue === 1 ? r.rest() : null;
  r.end();
  return {
    type: 'event',
    side,
    upstreamPartition,
    partitionCount,
    joinKey,
    eventTime,
    source: { topic, offset, timestamp, key, value, headers },
  };
}
