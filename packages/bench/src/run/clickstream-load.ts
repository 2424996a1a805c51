import { ClickstreamLoadGenerator, type LoadRunHooks } from '@tributary/producer';
import type { BenchKafkaSecurity } from '../scenarios/scenario-run.js';

/** The clickstream load a latency run produces: where, how fast, how long, and which events. */
export interface ClickstreamLoad {
  readonly brokers: readonly string[];
  readonly kafkaSecurity?: BenchKafkaSecurity | undefined;
  readonly clientId: string;
  readonly topic: string;
  readonly partitions: number;
  readonly ratePerSec: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** 0: no progress lines. */
  readonly progressIntervalMs: number;
  readonly workload: {
    readonly windowSizeMs: number;
    readonly outOfOrdernessMs: number;
    readonly pages: number;
    readonly seed: number;
    readonly compression: 'none' | 'gzip' | 'lz4';
  };
}

/**
 * The open-loop generator of a latency run, into an existing topic, for warm-up + duration. `onFirstSend` gets the
 * wall-clock time of the first send: the run's time zero (warm-up and measurement are counted from it, not from
 * the generator's construction, which connects first).
 */
export function clickstreamLoadGenerator(
  load: ClickstreamLoad,
  onFirstSend: (wallMs: number) => void,
  onProgress?: LoadRunHooks['onProgress'],
): ClickstreamLoadGenerator {
  let started = false;
  const clock = {
    now: () => performance.now(),
    wallNow: () => {
      const wall = Date.now();
      if (!started) {
        started = true;
        onFirstSend(wall);
      }
      return wall;
    },
  };
  const w = load.workload;
  return new ClickstreamLoadGenerator(
    {
      brokers: [...load.brokers],
      ...load.kafkaSecurity?.options,
      clientId: load.clientId,
      topic: load.topic,
      partitions: load.partitions,
      createTopic: false,
      rate: load.ratePerSec,
      durationMs: load.warmupMs + load.durationMs,
      warmupMs: load.warmupMs,
      progressIntervalMs: load.progressIntervalMs,
      windowSizeMs: w.windowSizeMs,
      outOfOrdernessMs: w.outOfOrdernessMs,
      pages: w.pages,
      seed: w.seed,
      compression: w.compression,
    },
    onProgress === undefined ? { clock } : { clock, onProgress },
  );
}
