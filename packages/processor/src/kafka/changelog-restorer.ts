import { randomUUID } from 'node:crypto';
import type { Kafka } from '@tributary/kafka';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';
import { LiveEntries } from '../state/live-entries.js';
import type { ChangelogEntry } from '../task/partition-task.js';
import { offsetFromKafka } from './offsets.js';
import { fixedPartitionAssigner } from './single-partition-assigner.js';
import type { TopicAdmin } from './topic-admin.js';

export interface ChangelogPartition {
  readonly store: string;
  readonly topic: string;
  readonly partition: number;
}

export interface RestoreResult {
  /**
   * The live entries per changelog partition (`${topic}:${partition}`): the latest value of each key, in the order
   * of their last write, keys whose latest record is a tombstone left out.
   */
  readonly entries: Map<string, ChangelogEntry[]>;
  /** Changelog records read (superseded ones and tombstones included). */
  readonly records: number;
}

export interface RestoreOptions {
  readonly groupIdPrefix: string;
  readonly maxWaitTimeInMs: number;
  readonly timeoutMs: number;
  /** Called while waiting, so the caller's consumer can heartbeat. */
  readonly onProgress?: () => void;
}

export const changelogKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/**
 * Reads changelog partitions read_committed from the beginning to their end offsets. The end offset is taken after
 * the caller fenced the previous owner, so no transaction on them is open and the last stable offset equals the end;
 * control records (transaction markers) occupy offsets but are never delivered, so progress is tracked from each
 * fetched batch's last offset, including batches made only of markers or aborted records.
 *
 * Only the latest record of each key is kept while reading (a later one replaces it, a tombstone removes it): a
 * changelog not yet compacted holds many superseded records, and memory stays what the restored state needs.
 */
export async function restoreChangelogs(
  kafka: Kafka,
  admin: TopicAdmin,
  partitions: readonly ChangelogPartition[],
  options: RestoreOptions,
): Promise<RestoreResult> {
  const live = new Map<string, LiveEntries>();
  const target = new Map<string, number>();
  const assignment: Record<string, number[]> = {};
  const ends = new Map<string, Awaited<ReturnType<TopicAdmin['endOffsets']>>>();
  for (const p of partitions) {
    let topicEnds = ends.get(p.topic);
    if (topicEnds === undefined) ends.set(p.topic, (topicEnds = await admin.endOffsets(p.topic)));
    const end = topicEnds.find((o) => o.partition === p.partition);
    const key = changelogKey(p.topic, p.partition);
    live.set(key, new LiveEntries(p.store));
    if (end === undefined || end.high <= end.low) continue;
    target.set(key, end.high);
    (assignment[p.topic] ??= []).push(p.partition);
  }
  if (target.size === 0) return { entries: liveEntries(live), records: 0 };

  const groupId = `${options.groupIdPrefix}-restore-${randomUUID()}`;
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    partitionAssigners: [fixedPartitionAssigner(assignment)],
    maxWaitTimeInMs: options.maxWaitTimeInMs,
    allowAutoTopicCreation: false,
  });
  let records = 0;
  let finish: (() => void) | undefined;
  let fail: ((error: unknown) => void) | undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const advance = (topic: string, partition: number, lastOffset: string): void => {
    const key = changelogKey(topic, partition);
    const end = target.get(key);
    if (end !== undefined && offsetFromKafka(lastOffset) + 1 >= end) target.delete(key);
    options.onProgress?.();
    if (target.size === 0) finish?.();
  };
  consumer.on(consumer.events.START_BATCH_PROCESS, (event) => {
    // Batches of only markers / aborted records never reach eachBatch.
    if (event.payload.batchSize === 0)
      advance(event.payload.topic, event.payload.partition, event.payload.lastOffset);
  });
  consumer.on(consumer.events.CRASH, (event) => fail?.(event.payload.error));
  const timer = setTimeout(
    () => fail?.(new Error(`changelog restore did not reach the end offsets within ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: Object.keys(assignment), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const key = changelogKey(batch.topic, batch.partition);
        const latest = live.get(key);
        if (latest !== undefined) {
          for (const m of batch.messages) {
            if (m.key === null) continue;
            latest.apply(m.key.toString('utf8'), m.value);
            records += 1;
          }
        }
        advance(batch.topic, batch.partition, batch.lastOffset());
      },
    });
    await done;
    return { entries: liveEntries(live), records };
  } catch (error) {
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.RESTORE_FAILED,
      `restoring ${partitions.map((p) => changelogKey(p.topic, p.partition)).join(', ')} failed: ${(error as Error)?.message ?? String(error)}`,
      { retriable: true, cause: error },
    );
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroup(groupId).catch(() => undefined);
  }
}

function liveEntries(live: Map<string, LiveEntries>): Map<string, ChangelogEntry[]> {
  const entries = new Map<string, ChangelogEntry[]>();
  for (const [key, latest] of live) entries.set(key, latest.entries());
  return entries;
}
