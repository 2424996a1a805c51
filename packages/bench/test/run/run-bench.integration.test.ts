import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, nodeIo } from '../../src/cli/main.js';
import { validateResults } from '../../src/report/validate-results.js';
import { runBench } from '../../src/run/run-bench.js';

describe('bench run (CLI) against the real servers', () => {
  it('writes a valid results file, .hgrm files and the HTML report, and exits 0 with nothing lost', async () => {
    const out = await mkdtemp(join(tmpdir(), 'bench-run-'));
    try {
      const printed: string[] = [];
      const io = { ...nodeIo(runBench), stdout: (t: string) => void printed.push(t), stderr: () => {} };
      const code = await main(
        [
          'run',
          '--scenarios',
          'table',
          '--duration',
          '2s',
          '--warmup',
          '1s',
          '--rate',
          '100',
          '--runs',
          '1',
          '--partitions',
          '2',
          '--out',
          out,
        ],
        io,
      );
      expect(printed.join('')).toContain('lost 0 · duplicated 0');
      expect(code).toBe(0);
      const files = await readdir(out);
      const json = files.find((f) => f.endsWith('.json'))!;
      expect(files.filter((f) => f.endsWith('.html'))).toHaveLength(1);
      // One per histogram: the three window legs, the bulk ack, Kafka → processor and the raw-event path.
      expect(
        files
          .filter((f) => f.endsWith('.hgrm'))
          .map((f) => /-run1-(.+)\.hgrm$/.exec(f)?.[1])
          .sort(),
      ).toEqual([
        'end-to-end',
        'kafka-to-processor',
        'kafka-to-searchable',
        'raw-indexed',
        'raw-searchable',
        'result-acknowledged',
        'result-in-kafka',
      ]);
      const results = validateResults(JSON.parse(await readFile(join(out, json), 'utf8')));
      expect(results.workload).toMatchObject({ scenario: 'table', ratePerSec: 100, partitions: 2, runs: 1 });
      expect(results.aggregate.correctness.lost).toBe(0);
      expect(results.aggregate.correctness.counted).toBe(results.aggregate.correctness.produced);
      expect(results.environment.versions['@tributary/processor']).toBe('0.1.0');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
