import { describe, expect, it } from 'vitest';
import {
  producerVsKafkaSuite,
  renderProduceTable,
  type ProduceFigures,
} from '../../src/suites/producer-vs-kafka.js';

const figures = (recordsPerSec: number, cpuSeconds: number): ProduceFigures => ({
  records: 500_000,
  recordsPerSec,
  mbPerSec: 0,
  avgMs: 0,
  maxMs: 0,
  p50Ms: 0,
  p99Ms: 0,
  summary: '',
  cpuSeconds,
});

describe('producer-vs-kafka suite', () => {
  it('prints every round and the mean ratio of each of ours to Kafka', () => {
    const text = renderProduceTable(
      [
        {
          round: 1,
          order: [],
          loadAverage1m: 1.5,
          results: { 'kafka ProducerPerformance': figures(248_262, 4.1), ours: figures(165_044, 5.4) },
          ratios: { ours: 165_044 / 248_262 },
        },
        {
          round: 2,
          order: [],
          loadAverage1m: 1.6,
          results: { 'kafka ProducerPerformance': figures(200_000, 4), ours: figures(170_000, 5) },
          ratios: { ours: 0.85 },
        },
      ],
      ['ours'],
    );
    expect(text.split('\n')).toEqual([
      '| round | load | Kafka rec/s (CPU µs/rec) | tributary (defaults) rec/s (CPU µs/rec) | ratio |',
      '| --- | ---: | ---: | ---: | ---: |',
      '| 1 | 1.5 | 248262 (8.2) | 165044 (10.8) | 0.66 |',
      '| 2 | 1.6 | 200000 (8.0) | 170000 (10.0) | 0.85 |',
      '',
      'ratio tributary (defaults) / Kafka: mean 0.76 (min 0.66, max 0.85)',
    ]);
  });

  it('takes the variants as a list, naming a bad one', () => {
    const parse = (argv: string[]) => producerVsKafkaSuite.options.parseCommandLine(argv, { env: {} }).values;
    expect(parse([]).variants).toEqual(['ours', 'headers', 'producers', 'kafkajs']);
    expect(parse(['--variants', 'ours,threads2', '--kafka-libs', '/k']).variants).toEqual([
      'ours',
      'threads2',
    ]);
    expect(() => parse(['--variants', 'ours,baseline'])).toThrow(
      /^--variants\.1 must be one of ours, single/,
    );
    expect(() => parse(['--brokers', 'localhost'])).toThrow(
      '--brokers.0 must be host:port (got "localhost")',
    );
  });
});
