import { describe, expect, it } from 'vitest';
import { deadLetterRecord, lateRecord, SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import type { InputRecord } from '../../src/task/partition-task.js';

const record: InputRecord = {
  topic: 'clicks',
  partition: 2,
  offset: '17',
  timestamp: 123,
  key: Buffer.from('k'),
  value: Buffer.from('v'),
  headers: { trace: 'abc' },
};

describe('side outputs', () => {
  it('dead-letter keeps the record and adds error and source headers', () => {
    const r = deadLetterRecord('dlq', record, 'TRIB_SCHEMA_DECODE_FAILED', 'truncated');
    expect(r).toEqual({
      output: 'dlq',
      key: record.key,
      value: record.value,
      headers: {
        trace: 'abc',
        [SIDE_OUTPUT_HEADERS.errorCode]: 'TRIB_SCHEMA_DECODE_FAILED',
        [SIDE_OUTPUT_HEADERS.errorReason]: 'truncated',
        'tributary.source.topic': 'clicks',
        'tributary.source.partition': '2',
        'tributary.source.offset': '17',
      },
      destination: { kind: 'by-key' },
      timestamp: 123,
    });
  });

  it('late records carry reason, watermark, window end and allowed lateness', () => {
    const r = lateRecord('late', record, 65_000, 60_000, 0);
    expect(r.headers).toMatchObject({
      'tributary.late.reason': 'window-closed',
      'tributary.late.watermark': '65000',
      'tributary.late.window-end': '60000',
      'tributary.late.allowed-lateness': '0',
      'tributary.source.offset': '17',
      trace: 'abc',
    });
  });
});
