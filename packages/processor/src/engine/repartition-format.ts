import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';

/**
 * Records on the repartition topic between a PartialAggregationTask (stage 1) and a MergeTask (stage 2).
 *
 * Format (version 1): UTF-8 JSON objects.
 * - partial:   `{"formatVersion":1,"type":"partial","upstreamPartition":3,"key":"/home","windowStart":0,
 *               "windowEnd":60000,"accumulator":"<base64 of Aggregator.serialize>"}` — the CUMULATIVE partial of
 *               one (key, window) from one upstream partition; the record key is the aggregation key (UTF-8).
 * - watermark: `{"formatVersion":1,"type":"watermark","upstreamPartition":3,"watermark":55000,"idle":false}` —
 *               `watermark: null` means −∞ (nothing seen yet); broadcast to every repartition partition.
 * Readers reject other format versions (`TRIB_PROC_REPARTITION_RECORD_INVALID`).
 */
export const REPARTITION_FORMAT_VERSION = 1;

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
  const body =
    record.type === 'partial'
      ? {
          formatVersion: REPARTITION_FORMAT_VERSION,
          type: 'partial',
          upstreamPartition: record.upstreamPartition,
          key: record.key,
          windowStart: record.windowStart,
          windowEnd: record.windowEnd,
          accumulator: record.accumulator.toString('base64'),
        }
      : {
          formatVersion: REPARTITION_FORMAT_VERSION,
          type: 'watermark',
          upstreamPartition: record.upstreamPartition,
          watermark: Number.isFinite(record.watermark) ? record.watermark : null,
          idle: record.idle,
        };
  return Buffer.from(JSON.stringify(body), 'utf8');
}

function invalid(reason: string, cause?: unknown): ProcessorError {
  return new ProcessorError(
    PROCESSOR_ERROR_CODES.REPARTITION_RECORD_INVALID,
    `invalid repartition record: ${reason}`,
    cause === undefined ? {} : { cause },
  );
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Decodes a repartition record; throws `TRIB_PROC_REPARTITION_RECORD_INVALID`. */
export function decodeRepartitionRecord(bytes: Buffer | null): RepartitionRecord {
  if (bytes === null) throw invalid('null value');
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw invalid('not JSON', cause);
  }
  if (typeof j !== 'object' || j === null) throw invalid('not an object');
  if (j['formatVersion'] !== REPARTITION_FORMAT_VERSION) {
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
