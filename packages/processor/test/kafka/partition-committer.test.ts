import type { Kafka, Producer, TopicMessages } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { CoalescingSender } from '../../src/kafka/coalescing-sender.js';
import { AtLeastOnceCommitter, TransactionalCommitter } from '../../src/kafka/partition-committer.js';

/** A changelog whose record batches hold 1 000 records of key 'k' and 100 value bytes (133 bytes estimated each). */
const THOUSAND_RECORDS_OF_133_BYTES = new Map([['changelog', 512 + 1_000 * 133]]);

/** The stage's shared sender over a fake producer that records each `sendBatch` call (or fails every one). */
function fakeSender(sent: TopicMessages[][], fail?: Error): CoalescingSender {
  return new CoalescingSender({
    sendBatch: async ({ topicMessages }: { topicMessages: TopicMessages[] }) => {
      if (fail !== undefined) throw fail;
      sent.push(topicMessages);
      return [];
    },
  } as unknown as Producer);
}

const request = {
  topicMessages: [{ topic: 'out', messages: [{ key: 'k', value: 'v' }] }],
  offset: { topic: 'in', partition: 0, offset: 5 },
};

describe('AtLeastOnceCommitter', () => {
  it('commits the offset only after the outputs are acknowledged', async () => {
    const order: string[] = [];
    const sent: TopicMessages[][] = [];
    const committer = new AtLeastOnceCommitter(fakeSender(sent), async (offsets) => {
      order.push(`offsets ${offsets[0]!.offset} after ${sent.length} batch`);
    });
    await committer.commit(request);
    expect(order).toEqual(['offsets 5 after 1 batch']);
  });

  it("splits a commit larger than a topic's max.message.bytes into several sends, in order, before the offset", async () => {
    const sent: TopicMessages[][] = [];
    const order: string[] = [];
    const committer = new AtLeastOnceCommitter(fakeSender(sent), async () => {
      order.push(`offsets after ${sent.length} batches`);
    });
    const messages = Array.from({ length: 2_001 }, (_, i) => ({
      key: 'k',
      value: String(i).padStart(100, '0'),
    }));
    await committer.commit({
      ...request,
      topicMessages: [{ topic: 'changelog', messages }],
      maxMessageBytes: THOUSAND_RECORDS_OF_133_BYTES,
    });
    expect(sent.map((call) => call.map((t) => t.messages.length))).toEqual([[1_000], [1_000], [1]]);
    expect(sent.flatMap((call) => call.flatMap((t) => t.messages.map((m) => m.value)))).toEqual(
      messages.map((m) => m.value),
    );
    expect(order).toEqual(['offsets after 3 batches']);
  });

  it('never commits the offset when sending fails', async () => {
    const committed: unknown[] = [];
    const committer = new AtLeastOnceCommitter(fakeSender([], new Error('broker down')), async (o) => {
      committed.push(o);
    });
    await expect(committer.commit(request)).rejects.toMatchObject({
      code: 'TRIB_PROC_COMMIT_FAILED',
      retriable: true,
    });
    expect(committed).toEqual([]);
  });

  it('tolerates an offset commit lost to a rebalance, fails on other offset errors', async () => {
    const rebalancing = Object.assign(new Error('rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    const tolerant = new AtLeastOnceCommitter(fakeSender([]), async () => {
      throw rebalancing;
    });
    await expect(tolerant.commit(request)).resolves.toBeUndefined();
    const strict = new AtLeastOnceCommitter(fakeSender([]), async () => {
      throw Object.assign(new Error('denied'), { type: 'GROUP_AUTHORIZATION_FAILED' });
    });
    await expect(strict.commit(request)).rejects.toMatchObject({ code: 'TRIB_PROC_COMMIT_FAILED' });
  });
});

describe('TransactionalCommitter', () => {
  function fakeKafka(log: string[]): Kafka {
    const txn = {
      sendBatch: async ({ topicMessages }: { topicMessages: TopicMessages[] }) => {
        log.push(`send ${topicMessages.map((t) => `${t.topic}:${t.messages.length}`).join(',')}`);
        return [];
      },
      sendOffsets: async ({ topics }: { topics: { partitions: { offset: string }[] }[] }) => {
        log.push(`offsets ${topics[0]!.partitions[0]!.offset}`);
      },
      commit: async () => void log.push('commit'),
      abort: async () => void log.push('abort'),
      isActive: () => true,
    };
    const producer = { connect: async () => {}, disconnect: async () => {}, transaction: async () => txn };
    return { producer: () => producer } as unknown as Kafka;
  }

  it('sends a large commit in several sends of one transaction, then the offset, then commits', async () => {
    const log: string[] = [];
    const committer = new TransactionalCommitter(fakeKafka(log), {
      transactionalId: 'tx',
      consumerGroupId: 'g',
      transactionTimeoutMs: 60_000,
    });
    const changelog = Array.from({ length: 1_500 }, () => ({ key: 'k', value: Buffer.alloc(100) }));
    await committer.commit({
      topicMessages: [
        { topic: 'out', messages: [{ value: 'r' }] },
        { topic: 'changelog', messages: changelog },
      ],
      maxMessageBytes: THOUSAND_RECORDS_OF_133_BYTES,
      offset: { topic: 'in', partition: 0, offset: 7 },
    });
    expect(log).toEqual(['send out:1,changelog:1000', 'send changelog:500', 'offsets 7', 'commit']);
  });
});
