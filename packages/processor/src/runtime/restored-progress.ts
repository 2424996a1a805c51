import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import type { ProcessingGuarantee } from '../config/stream-job-options.js';

/** Where a task's input partition stands when the task has just been restored from its changelog. */
export interface RestoredProgress {
  readonly stageId: string;
  readonly topic: string;
  readonly partition: number;
  /** The offset of the last input record the restored state reflects (`PartitionTask.lastAppliedOffset`). */
  readonly applied: number | undefined;
  /** The stage's committed offset (next to read) for the partition; null when none. */
  readonly committed: number | null;
  /** The partition's log end offset; undefined when unknown. */
  readonly logEnd: number | undefined;
  readonly guarantee: ProcessingGuarantee;
}

/**
 * After a task's restore: the input partition must still hold what the state has applied. A log that ends at or
 * before the last applied offset, or (exactly-once, where the offset and the state commit together) a committed
 * offset missing or at or below it, means the topic was recreated, truncated, or the group's offsets were reset or
 * expired: consuming would silently skip every record below the restored progress, so this throws
 * `TRIB_PROC_TOPIC_MISMATCH`, naming the topic and the way out.
 */
export function checkRestoredProgress(p: RestoredProgress): void {
  const { applied, committed, topic, stageId } = p;
  if (applied === undefined) return;
  const where = `${topic} partition ${p.partition}`;
  const reset =
    `If ${topic} was deleted and recreated, reset the application (stop it, delete its consumer groups, ` +
    `changelog and repartition topics) so that the state starts from the new log.`;
  if (p.logEnd !== undefined && p.logEnd <= applied) {
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.TOPIC_MISMATCH,
      `${where} ends at offset ${p.logEnd} but stage ${stageId}'s state has applied its records up to offset ` +
        `${applied}: the topic was recreated or truncated. ${reset}`,
    );
  }
  if (p.guarantee !== 'exactly-once') return;
  if (committed === null || committed <= applied) {
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.TOPIC_MISMATCH,
      `group ${stageId} has ${committed === null ? 'no committed offset' : `committed offset ${committed}`} ` +
        `for ${where} but the state has applied its records up to offset ${applied} (the two commit together): ` +
        `the topic was recreated, or the group's offsets were reset or expired. If the topic is the same, set ` +
        `the group's offset back (kafka-consumer-groups --reset-offsets --group ${stageId} --topic ` +
        `${topic}:${p.partition} --to-offset ${applied + 1} --execute). ${reset}`,
    );
  }
}
