import type { InputRecord, OutputRecord, RecordHeaders } from '../task/partition-task.js';

/** Header names put on dead-letter and late records. */
export const SIDE_OUTPUT_HEADERS = {
  errorCode: 'tributary.error.code',
  errorReason: 'tributary.error.reason',
  sourceTopic: 'tributary.source.topic',
  sourcePartition: 'tributary.source.partition',
  sourceOffset: 'tributary.source.offset',
  /** The source record's own Kafka timestamp (the copy is written with the commit time, for retention). */
  sourceTimestamp: 'tributary.source.timestamp',
  lateReason: 'tributary.late.reason',
  lateWatermark: 'tributary.late.watermark',
  lateWindowEnd: 'tributary.late.window-end',
  lateAllowedLateness: 'tributary.late.allowed-lateness',
} as const;

/** Why an event went to the late output. */
export const LATE_REASONS = {
  /** `windowEnd + allowedLateness <= watermark` for every window of the event. */
  windowClosed: 'window-closed',
  /**
   * A merge stage received a partial for a window it had already purged (`closedWindowRetentionMs`) while that
   * partial's upstream partition was behind: the window is not re-fired from a subset of its upstreams.
   */
  mergeRetentionExceeded: 'merge-retention-exceeded',
} as const;
export type LateReason = (typeof LATE_REASONS)[keyof typeof LATE_REASONS];

function sourceHeaders(record: InputRecord): Record<string, string> {
  return {
    [SIDE_OUTPUT_HEADERS.sourceTopic]: record.topic,
    [SIDE_OUTPUT_HEADERS.sourcePartition]: String(record.partition),
    [SIDE_OUTPUT_HEADERS.sourceOffset]: String(record.offset),
    [SIDE_OUTPUT_HEADERS.sourceTimestamp]: String(record.timestamp),
  };
}

/**
 * The original record (key, value and its headers byte for byte, null values and repeated headers included) with
 * `headers` and the source headers added. No record timestamp: the copy is stamped with the commit time, so the
 * late / dead-letter topic's retention counts from when it was written (the source's timestamp is in a header).
 */
function sideOutputRecord(
  output: string,
  record: InputRecord,
  headers: Record<string, string>,
): OutputRecord {
  const original: Readonly<RecordHeaders> = record.rawHeaders ?? record.headers;
  return {
    output,
    key: record.key,
    value: record.value,
    headers: { ...original, ...headers, ...sourceHeaders(record) },
    destination: { kind: 'by-key' },
  };
}

/** The original record (key, value, headers) plus error and source headers, for the dead-letter output. */
export function deadLetterRecord(
  output: string,
  record: InputRecord,
  code: string,
  reason: string,
): OutputRecord {
  return sideOutputRecord(output, record, {
    [SIDE_OUTPUT_HEADERS.errorCode]: code,
    [SIDE_OUTPUT_HEADERS.errorReason]: reason,
  });
}

/** The original record plus late-reason and source headers, for the late output. */
export function lateRecord(
  output: string,
  record: InputRecord,
  watermark: number,
  windowEnd: number,
  allowedLatenessMs: number,
  reason: LateReason = LATE_REASONS.windowClosed,
): OutputRecord {
  return sideOutputRecord(output, record, {
    [SIDE_OUTPUT_HEADERS.lateReason]: reason,
    [SIDE_OUTPUT_HEADERS.lateWatermark]: String(watermark),
    [SIDE_OUTPUT_HEADERS.lateWindowEnd]: String(windowEnd),
    [SIDE_OUTPUT_HEADERS.lateAllowedLateness]: String(allowedLatenessMs),
  });
}
