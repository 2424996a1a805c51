import { describe, expect, it } from 'vitest';
import { deadLetterRecord, lateRecord, SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import type { InputRecord } from '../../src/task/partition-task.js';

const record: InputRecord = {
  topic: 'clicks',
  partition: 2,
  offset: 17,
  timestamp: 123,
  key: Buffer.from('k'),
  value: Buffer.from('v'),
  headers: { trace: 'abc' },
};

describe('side outputs', () => {
  it('dead-letter keeps the record and adds error and source headers; stamped at commit time (no timestamp)', () => {
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
        'tributary.source.timestamp': '123',
      },
      destination: { kind: 'by-key' },
    });
  });

  it('copies the raw headers byte for byte: binary values, null values and repeated headers', () => {
    const binary = Buffer.from([0xff, 0x00, 0xfe]);
    const raw = { trace: Buffer.from('abc'), bin: binary, empty: null, twice: [Buffer.from('a'), null] };
    const r = lateRecord('late', { ...record, rawHeaders: raw }, 65_000, 60_000, 0);
    expect(r.headers).toMatchObject({ trace: raw.trace, bin: binary, empty: null, twice: raw.twice });
    expect(r.headers['tributary.late.reason']).toBe('window-closed');
    expect('timestamp' in r).toBe(false);
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
