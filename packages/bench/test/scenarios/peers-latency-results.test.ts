import { LatencyHistogram } from '@tributary/producer';
import { afterEach, describe, expect, it } from 'vitest';
import { figureDirection } from '../../src/compare/compare.js';
import { createResults } from '../../src/report/create-results.js';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { renderTable } from '../../src/report/table.js';
import { validateResults } from '../../src/report/validate-results.js';
import type { LatencyContender } from '../../src/scenarios/latency-contenders.js';
import {
  contenderOrder,
  peersLatencyFigures,
  peersLatencyRun,
  type ContenderOutcome,
} from '../../src/scenarios/peers-latency-results.js';

const histograms: LatencyHistogram[] = [];
afterEach(() => {
  for (const h of histograms.splice(0)) h.destroy();
});

function outcome(
  contender: LatencyContender,
  latenciesMs: readonly number[],
  cpu: number | null,
  throughputPerSec: number | null = 10_000,
  lost = 0,
): ContenderOutcome {
  const latency = new LatencyHistogram();
  histograms.push(latency);
  for (const ms of latenciesMs) latency.recordMs(ms);
  return {
    contender,
    version:
      contender === 'tributary' ? '0.1.0' : contender === 'kafka-streams' ? '4.4.0' : '2.2.1 / 5.0.0-2.2',
    startupMs: 1000,
    latency,
    throughputPerSec,
    cpuPercent: cpu,
    rssMB: 200,
    correctness: {
      produced: 100,
      counted: 100 - lost + (contender === 'flink' ? 2 : 0),
      late: 0,
      deadLettered: 0,
      lost,
      duplicated: contender === 'flink' ? 2 : 0,
    },
  };
}

const SETTINGS = {
  processorCommitIntervalMs: 200,
  kafkaStreamsCommitIntervalMs: 100,
  flinkCheckpointIntervalMs: 1000,
};

describe('peers-latency order', () => {
  it('rotates the contenders by one per run', () => {
    const all = ['tributary', 'kafka-streams', 'flink'];
    expect(contenderOrder(all, 1)).toEqual(all);
    expect(contenderOrder(all, 2)).toEqual(['kafka-streams', 'flink', 'tributary']);
    expect(contenderOrder(all, 3)).toEqual(['flink', 'tributary', 'kafka-streams']);
    expect(contenderOrder(all, 4)).toEqual(all);
    expect(contenderOrder([], 2)).toEqual([]);
  });
});

describe('peers-latency results', () => {
  it('makes one row per contender in table order, ratios ours / peer and the peers’ correctness figures', () => {
    const run = peersLatencyRun(
      1,
      '2026-12-07T00:00:00.000Z',
      [
        outcome('flink', [600, 650, 700], 80, 10_000),
        outcome('tributary', [200, 250, 300], 40, 10_000),
        outcome('flink-seed-checkpoints', [3000, 3100], 60, 9_000),
        outcome('kafka-streams', [250, 300, 350], 50, 10_000),
      ],
      SETTINGS,
    );
    expect(run.components.map((c) => c.component)).toEqual([
      'processor',
      'kafka-streams',
      'flink-seed-checkpoints',
      'flink',
    ]);
    expect(run.components[3]!.latencyMs?.p50).toBeCloseTo(650, 0);
    expect(Object.keys(run.histograms)).toEqual([
      'result-in-kafka-tributary',
      'result-in-kafka-kafka-streams',
      'result-in-kafka-flink-seed-checkpoints',
      'result-in-kafka-flink',
    ]);
    const byName = new Map((run.figures ?? []).map((f) => [f.name, f]));
    expect(byName.get('peers-latency.kafka-streams.p50.ratio')?.value).toBeCloseTo(250 / 300, 2);
    expect(byName.get('peers-latency.flink.p50.ratio')?.value).toBeCloseTo(250 / 650, 2);
    expect(byName.get('peers-latency.flink.cpu.ratio')?.value).toBe(0.5);
    expect(byName.get('peers-latency.flink.duplicated')?.value).toBe(2);
    expect(byName.get('peers-latency.kafka-streams.p99.ratio')?.note).toContain('commit.interval.ms 100');
    expect(byName.get('peers-latency.flink.p99.ratio')?.note).toContain(
      'checkpoint every 1000 ms, min pause 0 ms',
    );
    expect(byName.get('peers-latency.flink-seed-checkpoints.p99.ratio')?.note).toContain(
      "checkpoint every 5000 ms, min pause 1000 ms (the seed's)",
    );
    expect(figureDirection(byName.get('peers-latency.flink.p99.ratio')!)).toBe('lower-is-better');
    expect(run.correctness.duplicated).toBe(0); // ours
  });

  it('gives each row its throughput per core busy, and the ratio ours / peer higher-is-better', () => {
    const run = peersLatencyRun(
      1,
      '2026-12-07T00:00:00.000Z',
      [outcome('tributary', [200], 40, 10_000), outcome('kafka-streams', [300], 80, 10_000)],
      SETTINGS,
    );
    expect(run.components.map((c) => [c.throughputPerSec, c.throughputPerCore])).toEqual([
      [10_000, 25_000],
      [10_000, 12_500],
    ]);
    const perCore = (run.figures ?? []).find((f) => f.name === 'peers-latency.kafka-streams.per-core.ratio')!;
    expect(perCore.value).toBe(2);
    expect(figureDirection(perCore)).toBe('higher-is-better');

    const unmeasured = peersLatencyRun(
      1,
      '2026-12-07T00:00:00.000Z',
      [outcome('tributary', [200], null, 10_000), outcome('flink', [300], 0, null)],
      SETTINGS,
    );
    expect(unmeasured.components.map((c) => c.throughputPerCore)).toEqual([null, null]);
  });

  it('keeps every contender’s own correctness line against the ground truth on its row', () => {
    const run = peersLatencyRun(
      1,
      '2026-12-07T00:00:00.000Z',
      [outcome('tributary', [200], 40), outcome('kafka-streams', [300], 50, 10_000, 7)],
      SETTINGS,
    );
    expect(run.components.map((c) => [c.component, c.correctness?.lost])).toEqual([
      ['processor', 0],
      ['kafka-streams', 7],
    ]);
    expect(run.correctness.lost).toBe(0); // the run's line is ours
  });

  it('leaves ratios null when a side measured nothing, and names why a peer was skipped', () => {
    const figures = peersLatencyFigures(
      [outcome('tributary', [], null), outcome('kafka-streams', [500], 10)],
      SETTINGS,
      {
        peers: ['flink'],
        note: 'skipped: TLS',
      },
    );
    const byName = new Map(figures.map((f) => [f.name, f]));
    expect(byName.get('peers-latency.kafka-streams.p50.ratio')?.value).toBeNull();
    expect(byName.get('peers-latency.kafka-streams.cpu.ratio')?.value).toBeNull();
    for (const contender of ['flink', 'flink-seed-checkpoints']) {
      expect(byName.get(`peers-latency.${contender}.p99.ratio`)).toMatchObject({
        value: null,
        note: 'skipped: TLS',
      });
      expect(byName.get(`peers-latency.${contender}.per-core.ratio`)?.value).toBeNull();
    }
  });

  it('renders the rows next to ours in the table and the HTML report, aggregated across runs', () => {
    const runs = [1, 2].map((n) =>
      peersLatencyRun(
        n,
        '2026-12-07T00:00:00.000Z',
        [
          outcome('tributary', [200 * n, 300 * n], 40),
          outcome('kafka-streams', [280, 300], 50, 10_000, n === 2 ? 5 : 0),
          outcome('flink-seed-checkpoints', [3000, 3200], 60),
          outcome('flink', [640, 700], 80),
        ],
        SETTINGS,
      ),
    );
    const results = validateResults(
      JSON.parse(
        JSON.stringify(
          createResults({
            environment: {
              node: 'v20',
              java: '17',
              os: { platform: 'linux', release: '6', arch: 'x64' },
              cpu: { model: 'cpu', cores: 2 },
              memoryMB: 24_000,
              versions: {},
            },
            workload: {
              scenario: 'peers-latency',
              ratePerSec: 10_000,
              durationMs: 30_000,
              warmupMs: 5_000,
              partitions: 4,
              runs: 2,
              params: { processorCommitIntervalMs: 200 },
            },
            runs,
          }),
        ),
      ),
    );
    const ks = results.aggregate.components.find((r) => r.component === 'kafka-streams')!;
    expect(ks.correctness).toMatchObject({ produced: 200, lost: 5, duplicated: 0 });
    expect(ks.throughputPerCore).toEqual({ min: 20_000, median: 20_000, max: 20_000 });

    const table = renderTable(results);
    const lines = table.split('\n');
    const header = lines.find((l) => l.startsWith('Component'))!;
    expect(header).toMatch(/Throughput\s+Per core\s+p50/);
    const rows = lines.filter((l) => /^(Processor|Kafka Streams|Flink)/.test(l));
    expect(rows.map((r) => r.split(/\s{2,}/)[0])).toEqual([
      'Processor',
      'Kafka Streams 4.4 (EOS)',
      'Flink 2.x (EOS, seed checkpoints)',
      'Flink 2.x (EOS, tuned checkpoints)',
    ]);
    expect(rows[1]).toContain('4.4.0');
    expect(rows[1]).toContain('20.0k/s');
    expect(table).toMatch(/peers-latency\.flink\.p50\.ratio\s+0\.\d+× \(0\.\d+–0\.\d+\)/);
    const correctness = lines.slice(lines.indexOf('Correctness of each row against the ground truth:'));
    expect(correctness.slice(1, 5)).toEqual([
      '  Processor                           produced 200 · counted 200 · late 0 · dead-lettered 0 · lost 0 · duplicated 0',
      '  Kafka Streams 4.4 (EOS)             produced 200 · counted 195 · late 0 · dead-lettered 0 · lost 5 · duplicated 0',
      '  Flink 2.x (EOS, seed checkpoints)   produced 200 · counted 200 · late 0 · dead-lettered 0 · lost 0 · duplicated 0',
      '  Flink 2.x (EOS, tuned checkpoints)  produced 200 · counted 204 · late 0 · dead-lettered 0 · lost 0 · duplicated 4',
    ]);
    expect(table).not.toMatch(/^Correctness: /m);

    const html = renderHtmlReport(results);
    expect(html).toContain('Kafka Streams 4.4 (EOS)');
    expect(html).toContain('Flink 2.x (EOS, seed checkpoints)');
    expect(html).toContain('<th>Per core</th>');
    expect(html).toContain('<p class="bad">Correctness (Kafka Streams 4.4 (EOS)): produced 200');
    expect(html).toContain('<p class="ok">Correctness (Processor): produced 200');
    expect(html).toContain('result-in-kafka-flink latency by percentile');
  });
});
