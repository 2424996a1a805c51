import type { OutputRecord } from './partition-task.js';

/**
 * Where one logical output goes instead of (or besides) a Kafka topic: a system written directly by the stage that
 * produced the records — the low-latency path of window results into Elasticsearch. The runtime calls `write` with
 * the output's records of each commit BEFORE the commit's input offsets, and only under at-least-once (a write
 * outside Kafka cannot join a Kafka transaction): a crash replays the records, so the sink must be idempotent
 * (deterministic ids, external versions).
 */
export interface OutputSink {
  /**
   * Writes the records; resolves once they are durable, with the records it refused for good (dead letters) for the
   * runtime to write to Kafka in the same commit. A rejection fails the commit: the stage restarts and replays.
   */
  write(records: readonly OutputRecord[]): Promise<readonly OutputRecord[]>;
}
