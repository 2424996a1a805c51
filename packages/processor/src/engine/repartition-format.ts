import { PROCESSOR_ERROR_CODES, ProcessorError, isProcessorError } from '../errors.js';
import { ByteReader, ByteWriter, utf8Size } from '../state/binary.js';

/**
 * Records on the repartition topic between a PartialAggregationTask (stage 1) and a MergeTask (stage 2).
 *
 * Format version 2 (written), big-endian, the first byte being the version (never `{`, so a version-1 JSON record is
 * told apart by its first byte):
 * - partial:   `u8 2 | u8 1 | u32 upstreamPartition | f64 windowStart | f64 windowEnd | u32 keyBytes | key UTF-8 |
 *               accumulator` — the CUMULATIVE partial (the `Aggregator.serialize` bytes as they are, to the end of
 *               the value) of one (key, window) from one upstream partition; the record key is the aggregation key.
 * - watermark: `u8 2 | u8 2 | u32 upstreamPartition | f64 watermark | u8 idle` — −∞ means nothing seen yet;
 *               broadcast to every repartition partition.
 *
 * Format version 1 (read, so records written by the previous version still merge after an upgrade in place): UTF-8
 * JSON `{"formatVersion":1,"type":"partial","upstreamPartition":3,"key":"/home","windowStart":0,"windowEnd":60000,
 * "accumulator":"<base64>"}` and `{"formatVersion":1,"type":"watermark","upstreamPartition":3,"watermark":55000,
 * "idle":false}` (`watermark: null` = −∞).
 *
 * Anything else — another version or type, truncated or trailing bytes, bad bounds — is rejected with
 * `TRIB_PROC_REPARTITION_RECORD_INVALID`.
 */
export const REPARTITION_FORMAT_VERSION = 2;

/** The JSON format read for compatibility. */
const JSON_FORMAT_VERSION = 1;
const TYPE_PARTIAL = 1;
const TYPE_WATERMARK = 2;
/** version, type, upstream partition */
const HEADER_BYTES = 6;

export interface PartialRecord {
  readonly type: 'partial';
  readonly upstreamPartition: number;
  readonly key: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly accumulator: Buffer;
}

export interface WatermarkRecord {
  readonly type: 'watermark';
  readonly upstreamPartition: number;
  /** −∞ when the upstream partition has seen no valid event */
  readonly watermark: number;
  readonly idle: boolean;
}

export type RepartitionRecord = PartialRecord | WatermarkRecord;

export function encodeRepartitionRecord(record: RepartitionRecord): Buffer {
  if (record.type === 'partial') {
    const size = HEADER_BYTES + 16 + utf8Size(record.key) + record.accumulator.length;
    return new ByteWriter(size)
      .u8(REPARTITION_FORMAT_VERSION)
      .u8(TYPE_PARTIAL)
      .u32(record.upstreamPartition)
      .f64(record.windowStart)
      .f64(record.windowEnd)
      .utf8(record.key)
      .bytes(record.accumulator)
      .done();
  }
  return new ByteWriter(HEADER_BYTES + 9)
    .u8(REPARTITION_FORMAT_VERSION)
    .u8(TYPE_WATERMARK)
    .u32(record.upstreamPartition)
    .f64(record.watermark)
    .u8(record.idle ? 1 : 0)
    .done();
}

function invalid(reason: string, cause?: unknown): ProcessorError {
  return new ProcessorError(
    PROCESSOR_ERROR_CODES.REPARTITION_RECORD_INVALID,
    `invalid repartition record: ${reason}`,
    cause === undefined ? {} : { cause },
  );
}

/** Decodes a repartition record of format 2 or 1; throws `TRIB_PROC_REPARTITION_RECORD_INVALID`. */
export function decodeRepartitionRecord(bytes: Buffer | null): RepartitionRecord {
  if (bytes === null) throw invalid('null value');
  try {
    return bytes[0] === REPARTITION_FORMAT_VERSION ? decodeBinary(bytes) : decodeJson(bytes);
  } catch (error) {
    throw isProcessorError(error, PROCESSOR_ERROR_CODES.REPARTITION_RECORD_INVALID)
      ? error
      : invalid('malformed', error);
  }
}

function decodeBinary(bytes: Buffer): RepartitionRecord {
  const r = new ByteReader(bytes, invalid, 1);
  const type = r.u8('type');
  const upstreamPartition = r.u32('upstreamPartition');
  if (type === TYPE_PARTIAL) {
    const windowStart = r.int('windowStart');
    const windowEnd = r.int('windowEnd');
    if (windowEnd <= windowStart) throw invalid('bad window bounds');
    const key = r.utf8('key');
    return { type: 'partial', upstreamPartition, key, windowStart, windowEnd, accumulator: r.rest() };
  }
  if (type === TYPE_WATERMARK) {
    const watermark = r.f64('watermark');
    if (watermark !== Number.NEGATIVE_INFINITY && !Number.isSafeInteger(watermark))
      throw invalid(`watermark must be an integer or −∞, got ${watermark}`);
    const idle = r.u8('idle');
    if (idle > 1) throw invalid('idle must be 0 or 1');
    r.end();
    return { type: 'watermark', upstreamPartition, watermark, idle: idle === 1 };
  }
  throw invalid(`unknown type ${type}`);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function decodeJson(bytes: Buffer): RepartitionRecord {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw invalid('neither format 2 nor JSON', cause);
  }
  if (typeof j !== 'object' || j === null) throw invalid('not an object');
  if (j['formatVersion'] !== JSON_FORMAT_VERSION) {
    throw invalid(`unsupported formatVersion ${JSON.stringify(j['formatVersion'])}`);
  }
  const u = j['upstreamPartition'];
  if (!isInt(u) || u < 0) throw invalid('upstreamPartition must be a non-negative integer');
  if (j['type'] === 'partial') {
    const { key, windowStart, windowEnd, accumulator } = j;
    if (typeof key !== 'string') throw invalid('key must be a string');
    if (!isInt(windowStart) || !isInt(windowEnd) || windowEnd <= windowStart)
      throw invalid('bad window bounds');
    if (typeof accumulator !== 'string') throw invalid('accumulator must be base64');
    return {
      type: 'partial',
      upstreamPartition: u,
      key,
      windowStart,
      windowEnd,
      accumulator: Buffer.from(accumulator, 'base64'),
    };
  }
  if (j['type'] === 'watermark') {
    const w = j['watermark'];
    if (w !== null && !isInt(w)) throw invalid('watermark must be an integer or null');
    if (typeof j['idle'] !== 'boolean') throw invalid('idle must be a boolean');
    return {
      type: 'watermark',
      upstreamPartition: u,
      watermark: w ?? Number.NEGATIVE_INFINITY,
      idle: j['idle'],
    };
  }
  throw invalid(`unknown type ${JSON.stringify(j['type'])}`);
}
