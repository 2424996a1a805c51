import type { InputRecord, OutputRecord } from '../task/partition-task.js';

/** Header names put on dead-letter and late records. */
export const SIDE_OUTPUT_HEADERS = {
  errorCode: 'tributary.error.code',
  errorReason: 'tributary.error.reason',
  sourceTopic: 'tributary.source.topic',
  sourcePartition: 'tributary.source.partition',
  sourceOffset: 'tributary.source.offset',
  lateReason: 'tributary.late.reason',
  lateWatermark: 'tributary.late.watermark',
  lateWindowEnd: 'tributary.late.window-end',
  lateAllowedLateness: 'tributary.late.allowed-lateness',
} as const;

/** Why an event went to the late output. */
export const LATE_REASONS = {
  /** `windowEnd + allowedLateness <= watermark` for every window of the event. */
  windowClosed: 'window-closed',
} as const;
export type LateReason = (typeof LATE_REASONS)[keyof typeof LATE_REASONS];

function sourceHeaders(record: InputRecord): Record<string, string> {
  return {
    [SIDE_OUTPUT_HEADERS.sourceTopic]: record.topic,
    [SIDE_OUTPUT_HEADERS.sourcePartition]: String(record.partition),
    [SIDE_OUTPUT_HEADERS.sourceOffset]: record.offset,
  };
}

/** The original record (key, value, timestamp) with `headers` and the source headers added to its own. */
function sideOutputRecord(
  output: string,
  record: InputRecord,
  headers: Record<string, string>,
): OutputRecord {
  return {
    output,
    key: record.key,
    value: record.value,
    headers: { ...record.headers, ...headers, ...sourceHeaders(record) },
    destination: { kind: 'by-key' },
    timestamp: record.timestamp,
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
): OutputRecord {
  return sideOutputRecord(output, record, {
    [SIDE_OUTPUT_HEADERS.lateReason]: LATE_REASONS.windowClosed,
    [SIDE_OUTPUT_HEADERS.lateWatermark]: String(watermark),
    [SIDE_OUTPUT_HEADERS.lateWindowEnd]: String(windowEnd),
    [SIDE_OUTPUT_HEADERS.lateAllowedLateness]: String(allowedLatenessMs),
  });
}
