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

/**
 * How long a committed offset behind the restored state is read again before it counts as a mismatch. A transaction
 * completed just before (the previous owner's, finished by the fencing; or one the coordinator completes after a
 * broker restart) writes its markers to the changelog and to `__consumer_offsets` separately, and the group
 * coordinator applies its offsets asynchronously: for a moment the offset fetch (kafkajs has no `require_stable`,
 * KIP-447) can still show the offsets from before while the changelog already shows the state after.
 */
export const OFFSET_SETTLE_MS = 10_000;

/** True when the committed offset is behind the restored state under exactly-once (the one check that can settle). */
export function committedBehindState(p: RestoredProgress): boolean {
  return (
    p.guarantee === 'exactly-once' &&
    p.applied !== undefined &&
    (p.committed === null || p.committed <= p.applied)
  );
}

export interface SettleOptions {
  /** Reads the stage's committed offset for the partition (null when none). */
  readonly fetchCommitted: () => Promise<number | null>;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** @defaultValue OFFSET_SETTLE_MS */
  readonly settleMs?: number;
}

/**
 * The committed offset, read until it has caught up with the restored state or `settleMs` passed, then checked with
 * `checkRestoredProgress` (which throws `TRIB_PROC_TOPIC_MISMATCH` for a mismatch that did not settle).
 */
export async function settledCommittedOffset(
  progress: Omit<RestoredProgress, 'committed'>,
  options: SettleOptions,
): Promise<number | null> {
  const deadline = options.now() + (options.settleMs ?? OFFSET_SETTLE_MS);
  for (let attempt = 0; ; attempt++) {
    const committed = await options.fetchCommitted();
    const p = { ...progress, committed };
    if (!committedBehindState(p) || options.now() >= deadline) {
      checkRestoredProgress(p);
      return committed;
    }
    await options.sleep(Math.min(1_000, 50 * 2 ** attempt));
  }
}
