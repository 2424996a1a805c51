import { describe, expect, it } from 'vitest';
import { SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import { summarizeOutputs } from '../../src/metrics/output-summary.js';
import type { OutputRecord } from '../../src/task/partition-task.js';

const out = (output: string, headers: Record<string, string> = {}, eventTime?: number): OutputRecord => ({
  output,
  key: null,
  value: null,
  headers,
  destination: { kind: 'by-key' },
  ...(eventTime === undefined ? {} : { eventTime }),
});

describe('summarizeOutputs', () => {
  it('counts late records and dead letters by code from their headers, whatever the output is named', () => {
    const s = summarizeOutputs(
      [
        out('late', { [SIDE_OUTPUT_HEADERS.lateReason]: 'window-closed' }),
        out('my-late', { [SIDE_OUTPUT_HEADERS.lateReason]: 'window-closed' }),
        out('dead-letter', { [SIDE_OUTPUT_HEADERS.errorCode]: 'TRIB_SCHEMA_DECODE_FAILED' }),
        out('dead-letter', { [SIDE_OUTPUT_HEADERS.errorCode]: 'TRIB_SCHEMA_DECODE_FAILED' }),
        out('dlq', { [SIDE_OUTPUT_HEADERS.errorCode]: 'TRIB_SCHEMA_INVALID_FIELD' }),
        out('repartition'),
        out('enriched', {}, 5),
      ],
      10_000,
    );
    expect(s.late).toBe(2);
    expect([...s.deadLetters]).toEqual([
      ['TRIB_SCHEMA_DECODE_FAILED', 2],
      ['TRIB_SCHEMA_INVALID_FIELD', 1],
    ]);
    expect(s.resultLatenciesSeconds).toEqual([]);
  });

  it('measures result latency as commit time minus window end (the event time of a result)', () => {
    // Windows [0, 60 000) and [60 000, 120 000) committed at 125 000: 65 s and 5 s after their ends.
    const s = summarizeOutputs([out('results', {}, 60_000), out('results', {}, 120_000)], 125_000);
    expect(s.resultLatenciesSeconds).toEqual([65, 5]);
  });

  it('never reports a negative latency and skips results without an event time', () => {
    const s = summarizeOutputs([out('results', {}, 200_000), out('results')], 100_000);
    expect(s.resultLatenciesSeconds).toEqual([0]);
  });

  it('takes the result output names as a parameter', () => {
    const s = summarizeOutputs(
      [out('pages', {}, 1_000), out('results', {}, 1_000)],
      2_000,
      new Set(['pages']),
    );
    expect(s.resultLatenciesSeconds).toEqual([1]);
  });
});
