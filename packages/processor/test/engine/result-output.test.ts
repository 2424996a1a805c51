import { describe, expect, it } from 'vitest';
import { resultOutput } from '../../src/engine/result-output.js';
import { jsonResultEncoder } from '../../src/engine/window-result.js';
import type { OutputRecord } from '../../src/task/partition-task.js';

describe('resultOutput', () => {
  it('leaves the record timestamp to the commit (retention counts from the write) and carries the window end as event time', () => {
    const emitted: OutputRecord[] = [];
    const emit = resultOutput<number>({
      task: 't',
      output: 'results',
      encode: jsonResultEncoder<number>(),
      emit: (r) => emitted.push(r),
    });
    // A window of last year: its result must not be stamped a year old, or a 7-day retention deletes it at once.
    emit({
      key: '/p',
      windowStart: 1_700_000_000_000,
      windowEnd: 1_700_000_060_000,
      result: 3,
      isFinal: true,
      version: 1,
    });
    expect(emitted).toHaveLength(1);
    expect(emitted[0]!.timestamp).toBeUndefined();
    expect(emitted[0]!.eventTime).toBe(1_700_000_060_000);
    expect(emitted[0]!.output).toBe('results');
  });
});

describe('resultOutput with keep', () => {
  it('emits only the results keep accepts', () => {
    const emitted: OutputRecord[] = [];
    const emit = resultOutput<number>({
      task: 't',
      output: 'results',
      encode: jsonResultEncoder<number>(),
      keep: (r) => r.result > 1,
      emit: (r) => emitted.push(r),
    });
    const result = { key: '/p', windowStart: 0, windowEnd: 60_000, isFinal: true, version: 1 };
    emit({ ...result, result: 1 });
    emit({ ...result, key: '/q', result: 2 });
    expect(emitted.map((r) => r.key!.toString())).toEqual(['/q']);
  });
});
