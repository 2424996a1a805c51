import { describe, expect, it } from 'vitest';
import {
  contenderComponent,
  contenderPeer,
  flinkCheckpointing,
  jvmContenderArgs,
  latencyContenders,
  SEED_FLINK_CHECKPOINTING,
} from '../../src/scenarios/latency-contenders.js';

const base = {
  brokers: ['127.0.0.1:9092'],
  applicationId: 'bench-x',
  inputTopic: 'bench-x-events',
  outputTopic: 'bench-x-results',
  stateDir: '/tmp/s',
  windowSizeMs: 10_000,
  outOfOrdernessMs: 5_000,
  idleTimeoutMs: 5_000,
  kafkaStreamsCommitIntervalMs: 100,
  flinkCheckpointIntervalMs: 1_000,
  parallelism: 2,
  heap: '1g',
};

describe('peers-latency contenders', () => {
  it('runs Kafka Streams once and Flink twice (seed checkpoints, tuned), ours always first', () => {
    expect(latencyContenders([])).toEqual(['tributary']);
    expect(latencyContenders(['flink', 'kafka-streams'])).toEqual([
      'tributary',
      'kafka-streams',
      'flink-seed-checkpoints',
      'flink',
    ]);
    expect(latencyContenders(['kafka-streams'])).toEqual(['tributary', 'kafka-streams']);
    expect(contenderPeer('flink-seed-checkpoints')).toBe('flink');
    expect(contenderPeer('tributary')).toBeNull();
    expect(contenderComponent('tributary')).toBe('processor');
    expect(contenderComponent('flink-seed-checkpoints')).toBe('flink-seed-checkpoints');
  });

  it('checkpoints Flink as the seed does, and at the tuned interval without a pause', () => {
    expect(SEED_FLINK_CHECKPOINTING).toEqual({
      intervalMs: 5_000,
      minPauseMs: 1_000,
      timeoutMs: 60_000,
      tolerableFailures: 3,
    });
    expect(flinkCheckpointing('flink-seed-checkpoints', 250)).toBe(SEED_FLINK_CHECKPOINTING);
    expect(flinkCheckpointing('flink', 250)).toEqual({
      ...SEED_FLINK_CHECKPOINTING,
      intervalMs: 250,
      minPauseMs: 0,
    });
  });

  it('gives Kafka Streams its commit interval, threads and state directory', () => {
    const args = jvmContenderArgs('kafka-streams', '/c/ks.jar', base);
    expect(args.slice(0, 4)).toEqual(['-Xms1g', '-Xmx1g', '-jar', '/c/ks.jar']);
    expect(args.join(' ')).toContain('--commit-interval-ms 100 --threads 2 --state-dir /tmp/s');
    expect(args.join(' ')).toContain('--window-size-ms 10000 --out-of-orderness-ms 5000');
    expect(args).not.toContain('--checkpoint-interval-ms');
  });

  it('gives each Flink contender its checkpointing, idleness and parallelism', () => {
    expect(jvmContenderArgs('flink-seed-checkpoints', '/c/flink.jar', base).join(' ')).toContain(
      '--idle-timeout-ms 5000 --checkpoint-interval-ms 5000 --min-pause-between-checkpoints-ms 1000 ' +
        '--checkpoint-timeout-ms 60000 --tolerable-checkpoint-failures 3 --parallelism 2',
    );
    const tuned = jvmContenderArgs('flink', '/c/flink.jar', base);
    expect(tuned.join(' ')).toContain('--checkpoint-interval-ms 1000 --min-pause-between-checkpoints-ms 0 ');
    expect(tuned).not.toContain('--commit-interval-ms');
  });
});
