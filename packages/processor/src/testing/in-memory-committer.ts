import type { CommitRequest, PartitionCommitter } from '../kafka/partition-committer.js';
import type { InMemoryTopics } from './in-memory-topics.js';

/**
 * A task's commit into in-memory topics: its outputs, changelog entries and the group's input offset are written in
 * one synchronous step, so a commit is all or nothing, as a Kafka transaction is to a read_committed reader.
 */
export class InMemoryCommitter implements PartitionCommitter {
  readonly #topics: InMemoryTopics;
  readonly #group: string;
  readonly #now: () => number;

  constructor(topics: InMemoryTopics, group: string, now: () => number) {
    this.#topics = topics;
    this.#group = group;
    this.#now = now;
  }

  async open(): Promise<void> {}

  async commit(request: CommitRequest): Promise<void> {
    const nowMs = this.#now();
    for (const { topic, messages } of request.topicMessages)
      for (const message of messages) this.#topics.append(topic, message, nowMs);
    if (request.offset !== undefined) {
      const { topic, partition, offset } = request.offset;
      this.#topics.commitOffset(this.#group, topic, partition, offset);
    }
  }

  async close(): Promise<void> {}
}
