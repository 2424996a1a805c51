import { describe, expect, it } from 'vitest';
import { formatCorrectness, renderTable } from '../../src/report/table.js';
import { loadFixture } from './load-fixture.js';

describe('renderTable', () => {
  it('prints one row per component in the seed order with medians and (min–max), then the correctness line', () => {
    const lines = renderTable(loadFixture()).split('\n');
    expect(lines[0]).toBe(
      'Scenario table: 10.0k/s for 30.0 s after 10.0 s warm-up, 4 partitions, 3 runs (median (min–max))',
    );
    expect(lines[2]).toMatch(
      /^Component\s+Version\s+Startup\s+Throughput\s+p50\s+p99\s+p99\.9\s+max\s+CPU\s+RSS\s+Loop delay p50\/p99\/max$/,
    );
    expect(lines.slice(4, 8).map((l) => l.split(/\s{2,}/)[0])).toEqual([
      'Kafka',
      'Processor',
      'Elasticsearch',
      'End-to-end',
    ]);
    expect(lines[4]).toContain('11.4 ms (10.8–12.2)');
    expect(lines[7]).toContain('1.27 s (1.25–1.32)');
    expect(lines[7]).toMatch(/End-to-end\s+–\s+–/);
    expect(lines.at(-1)).toBe(
      'Correctness: produced 900,000 · counted 899,964 · late 36 · dead-lettered 0 · lost 0 · duplicated 0',
    );
  });

  it('aligns every row to the same width', () => {
    const rows = renderTable(loadFixture()).split('\n').slice(2, 8);
    const widths = new Set(rows.slice(1).map((r) => r.length));
    expect(Math.max(...widths)).toBeLessThanOrEqual(rows[1]!.length);
  });
});

describe('formatCorrectness', () => {
  it('lists all six counts', () => {
    expect(
      formatCorrectness({ produced: 1000, counted: 990, late: 4, deadLettered: 1, lost: 5, duplicated: 0 }),
    ).toBe('produced 1,000 · counted 990 · late 4 · dead-lettered 1 · lost 5 · duplicated 0');
  });
});
