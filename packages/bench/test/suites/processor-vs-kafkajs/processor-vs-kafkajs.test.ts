import { describe, expect, it } from 'vitest';
import type { ThroughputFigures } from '../../../src/suites/processor-vs-kafkajs/child-watch.js';
import {
  processorVsKafkajsSuite,
  renderLatency,
  renderThroughputTable,
  withRatios,
} from '../../../src/suites/processor-vs-kafkajs/processor-vs-kafkajs.js';

const figures = (recordsPerSec: number, recordsPerCpuSec: number): ThroughputFigures => ({
  label: '',
  records: 1,
  totalSec: 1,
  recordsPerSecTotal: 1,
  steadySec: 1,
  recordsPerSec,
  cpuSecTotal: 1,
  cpuPercent: 1,
  recordsPerCpuSec,
  peakRssMb: 1,
  loadavg1: 1,
});

describe('processor-vs-kafkajs suite', () => {
  const raw = figures(666_223, 531_049);
  const decoding = figures(1_095_290, 807_767);

  it('rates each job against the raw consumers of the same round', () => {
    expect(withRatios(figures(442_870, 383_142), raw, decoding)).toMatchObject({
      ratio: 0.66,
      ratioPerCpuSec: 0.72,
      ratioToDecodingCeiling: 0.4,
    });
    expect(withRatios(figures(442_870, 383_142), raw, undefined)).not.toHaveProperty(
      'ratioToDecodingCeiling',
    );
  });

  it('prints a row per round, the baseline beside this build', () => {
    const lines = renderThroughputTable([
      {
        round: 1,
        contenders: {
          'raw kafkajs': raw,
          'count exactly-once': withRatios(figures(442_870, 383_142), raw, undefined),
          'count exactly-once (baseline)': withRatios(figures(262_089, 250_000), raw, undefined),
        },
      },
    ]).split('\n');
    expect(lines[0]).toBe(
      '| round | raw kafkajs rec/s (rec/CPU-s) | **count exactly-once** rec/s (rec/CPU-s) | ratio | per CPU-s | **count exactly-once (baseline)** rec/s (rec/CPU-s) | ratio | per CPU-s |',
    );
    expect(lines[2]).toBe(
      '| 1 | 666223 (531049) | 442870 (383142) | 0.66× | 0.72× | 262089 (250000) | 0.39× | 0.47× |',
    );
  });

  it('prints the latency legs that were measured', () => {
    const leg = { count: 5993, p50Ms: 622, p90Ms: 690, p99Ms: 708, maxMs: 800, negativesClampedToZero: 0 };
    expect(
      renderLatency({
        finalResultsMeasured: 5993,
        expectedFinalResults: 5993,
        windowsMeasured: 6,
        kafkaCommitted: leg,
      }),
    ).toBe(
      'window-close latency after windowEnd + B (5993 of 5993 final results in 6 windows):\n' +
        '  readable in the results topic (committed): p50 622 ms, p99 708 ms (5993 results)',
    );
  });

  it('keeps the flags of the script it replaces', () => {
    const parse = (argv: string[]) =>
      processorVsKafkajsSuite.options.parseCommandLine(argv, { env: {} }).values;
    expect(parse([])).toMatchObject({
      count: 1_000_000,
      modes: ['exactly-once', 'at-least-once'],
      jobs: ['count', 'clickstream'],
      rawDecodingCeiling: true,
      es: true,
      nodeFlags: '--max-semi-space-size=64',
      timeoutMs: 600_000,
    });
    expect(
      parse([
        '--no-raw-decoding-ceiling',
        '--no-es',
        '--skip-throughput',
        '--processor-args=--full-decode',
        '--node-flags=',
      ]),
    ).toMatchObject({
      rawDecodingCeiling: false,
      es: false,
      skipThroughput: true,
      processorArgs: '--full-decode',
      nodeFlags: '',
    });
    expect(() => parse(['--modes', 'exactly-twice'])).toThrow(
      /^--modes\.0 must be one of exactly-once, at-least-once/,
    );
    expect(() => parse(['--timeout-ms', '10'])).toThrow('--timeout-ms must be >= 1000 (got "10")');
  });
});
