import { LatencyHistogram } from '@tributary/producer';
import { afterEach, describe, expect, it } from 'vitest';
import { figureDirection } from '../../src/compare/compare.js';
import { createResults } from '../../src/report/create-results.js';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { renderTable } from '../../src/report/table.js';
import { validateResults } from '../../src/report/validate-results.js';
import {
  contenderOrder,
  peersLatencyFigures,
  peersLatencyRun,
  type ContenderOutcome,
  type LatencyContender,
} from '../../src/scenarios/peers-latency-results.js';
import { jvmPeerArgs } from '../../src/scenarios/peers-latency-scenario.js';

const histograms: LatencyHistogram[] = [];
afterEach(() => {
  for (const h of histograms.splice(0)) h.destroy();
});

function outcome(
  contender: LatencyContender,
  latenciesMs: readonly number[],
  cpu: number | null,
): ContenderOutcome {
  const latency = new LatencyHistogram();
  histograms.push(latency);
  for (const ms of latenciesMs) latency.recordMs(ms);
  return {
    contender,
    version: contender === 'tributary' ? '0.1.0' : contender === 'flink' ? '2.2.1 / 5.0.0-2.2' : '4.4.0',
    startupMs: 1000,
    latency,
    cpuPercent: cpu,
    rssMB: 200,
    correctness: {
      produced: 100,
      counted: 100,
      late: 0,
      deadLettered: 0,
      lost: 0,
      duplicated: contender === 'flink' ? 2 : 0,
    },
  };
}

const SETTINGS = { commitIntervalMs: 200, checkpointIntervalMs: 1000 };

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

describe('peers-latency command lines', () => {
  const base = {
    brokers: ['127.0.0.1:9092'],
    applicationId: 'bench-x',
    inputTopic: 'bench-x-events',
    outputTopic: 'bench-x-results',
    stateDir: '/tmp/s',
    windowSizeMs: 10_000,
    outOfOrdernessMs: 5_000,
    idleTimeoutMs: 5_000,
    commitIntervalMs: 200,
    checkpointIntervalMs: 1_000,
    parallelism: 2,
    heap: '1g',
  };

  it('gives Kafka Streams the commit interval, threads and state directory', () => {
    const args = jvmPeerArgs('kafka-streams', '/c/ks.jar', base);
    expect(args.slice(0, 4)).toEqual(['-Xms1g', '-Xmx1g', '-jar', '/c/ks.jar']);
    expect(args.join(' ')).toContain('--commit-interval-ms 200 --threads 2 --state-dir /tmp/s');
    expect(args.join(' ')).toContain('--window-size-ms 10000 --out-of-orderness-ms 5000');
    expect(args).not.toContain('--checkpoint-interval-ms');
  });

  it('gives Flink the checkpoint interval, idleness and parallelism', () => {
    const args = jvmPeerArgs('flink', '/c/flink.jar', base);
    expect(args.join(' ')).toContain('--idle-timeout-ms 5000 --checkpoint-interval-ms 1000 --parallelism 2');
    expect(args).not.toContain('--commit-interval-ms');
  });
});

describe('peers-latency results', () => {
  it('makes one row per contender in table order, ratios ours / peer and the peers’ correctness figures', () => {
    const run = peersLatencyRun(
      1,
      '2026-12-07T00:00:00.000Z',
      [
        outcome('flink', [600, 650, 700], 80),
        outcome('tributary', [200, 250, 300], 40),
        outcome('kafka-streams', [250, 300, 350], 50),
      ],
      SETTINGS,
    );
    expect(run.components.map((c) => c.component)).toEqual(['processor', 'kafka-streams', 'flink']);
    expect(run.components[2]!.latencyMs?.p50).toBeCloseTo(650, 0);
    expect(Object.keys(run.histograms)).toEqual([
      'result-in-kafka-tributary',
      'result-in-kafka-kafka-streams',
      'result-in-kafka-flink',
    ]);
    const byName = new Map((run.figures ?? []).map((f) => [f.name, f]));
    expect(byName.get('peers-latency.kafka-streams.p50.ratio')?.value).toBeCloseTo(250 / 300, 2);
    expect(byName.get('peers-latency.flink.p50.ratio')?.value).toBeCloseTo(250 / 650, 2);
    expect(byName.get('peers-latency.flink.cpu.ratio')?.value).toBe(0.5);
    expect(byName.get('peers-latency.flink.duplicated')?.value).toBe(2);
    expect(byName.get('peers-latency.kafka-streams.p99.ratio')?.note).toContain('commit.interval.ms 200');
    expect(byName.get('peers-latency.flink.p99.ratio')?.note).toContain('checkpoint every 1000 ms');
    expect(figureDirection(byName.get('peers-latency.flink.p99.ratio')!)).toBe('lower-is-better');
    expect(run.correctness.duplicated).toBe(0); // ours
  });

  it('leaves ratios null when a side measured nothing, and names why a peer was skipped', () => {
    const figures = peersLatencyFigures(
      [outcome('tributary', [], null), outcome('flink', [500], 10)],
      SETTINGS,
      {
        peers: ['kafka-streams'],
        note: 'skipped: TLS',
      },
    );
    const byName = new Map(figures.map((f) => [f.name, f]));
    expect(byName.get('peers-latency.flink.p50.ratio')?.value).toBeNull();
    expect(byName.get('peers-latency.flink.cpu.ratio')?.value).toBeNull();
    expect(byName.get('peers-latency.kafka-streams.p99.ratio')).toMatchObject({
      value: null,
      note: 'skipped: TLS',
    });
  });

  it('renders the rows next to ours in the table and the HTML report, aggregated across runs', () => {
    const runs = [1, 2].map((n) =>
      peersLatencyRun(
        n,
        '2026-12-07T00:00:00.000Z',
        [
          outcome('tributary', [200 * n, 300 * n], 40),
          outcome('kafka-streams', [280, 300], 50),
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
              params: { commitIntervalMs: 200 },
            },
            runs,
          }),
        ),
      ),
    );
    const table = renderTable(results);
    const rows = table.split('\n').filter((l) => /^(Processor|Kafka Streams|Flink)/.test(l));
    expect(rows.map((r) => r.split(/\s{2,}/)[0])).toEqual([
      'Processor',
      'Kafka Streams 4.4 (EOS)',
      'Flink 2.x (EOS)',
    ]);
    expect(rows[1]).toContain('4.4.0');
    expect(table).toMatch(/peers-latency\.flink\.p50\.ratio\s+0\.\d+× \(0\.\d+–0\.\d+\)/);
    const html = renderHtmlReport(results);
    expect(html).toContain('Kafka Streams 4.4 (EOS)');
    expect(html).toContain('Flink 2.x (EOS)');
    expect(html).toContain('result-in-kafka-flink latency by percentile');
  });
});
