import { createKafkaClient } from '@tributary/kafka';
import { describe, expect, inject, it } from 'vitest';
import {
  PEERS_LATENCY_DEFAULTS,
  runPeersLatencyOnce,
  type PeersLatencyWorkload,
} from '../../src/scenarios/peers-latency-scenario.js';
import type { ScenarioContext } from '../../src/scenarios/scenario-run.js';

// Ours only (no JVM peer jar given): the contender's committed-offset throughput, its CPU and RSS, and its own
// correctness line against the ground truth, through the real broker. The JVM peers need Java and Maven:
// `npx bench --peers kafka-streams,flink` runs them.
describe('peers-latency against the real Kafka', () => {
  it('measures ours with its throughput per core and correctness line, and leaves no topic behind', async () => {
    const lines: string[] = [];
    const ctx: ScenarioContext = {
      run: 1,
      brokers: inject('kafkaBrokers'),
      esConnection: { esUrl: [inject('elasticsearchUrl')] },
      log: (line) => lines.push(line),
    };
    const w: PeersLatencyWorkload = {
      ...PEERS_LATENCY_DEFAULTS,
      ratePerSec: 500,
      warmupMs: 3_000,
      durationMs: 12_000,
      partitions: 2,
      windowSizeMs: 2_000,
      outOfOrdernessMs: 1_000,
      idleTimeoutMs: 2_000,
      peers: [],
      processorCommitIntervalMs: 200,
      kafkaStreamsCommitIntervalMs: 100,
      flinkCheckpointIntervalMs: 1_000,
      javaCommand: 'java',
    };
    const run = await runPeersLatencyOnce(ctx, w, new Map());

    expect(run.components.map((c) => c.component)).toEqual(['processor']);
    const ours = run.components[0]!;
    expect(ours.latencyMs?.p50).toBeGreaterThan(0);
    expect(ours.throughputPerSec).toBeGreaterThan(0);
    expect(ours.throughputPerSec).toBeLessThanOrEqual(2 * w.ratePerSec);
    expect(ours.cpuPercent).toBeGreaterThan(0);
    expect(ours.throughputPerCore).toBeCloseTo(ours.throughputPerSec! / (ours.cpuPercent! / 100), 6);
    expect(ours.rssMB).toBeGreaterThan(0);
    expect(ours.correctness).toMatchObject({ lost: 0, duplicated: 0 });
    expect(ours.correctness!.produced).toBeGreaterThan(0);
    expect(ours.correctness!.counted).toBe(ours.correctness!.produced);
    expect(run.correctness).toEqual(ours.correctness);

    const id = lines.join('\n').match(/bench-peers-latency-[a-z0-9]+-[0-9a-f]{6}-tributary/)?.[0];
    expect(id).toBeDefined();
    const admin = createKafkaClient({ clientId: 'bench-check', brokers: inject('kafkaBrokers') }).admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).filter((t) => t.startsWith(id!))).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });
});
