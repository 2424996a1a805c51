import type { Producer, TopicMessages } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { AtLeastOnceCommitter } from '../../src/kafka/partition-committer.js';

function fakeProducer(sent: TopicMessages[][], fail?: Error): Producer {
  return {
    sendBatch: async ({ topicMessages }: { topicMessages: TopicMessages[] }) => {
      if (fail !== undefined) throw fail;
      sent.push(topicMessages);
      return [];
    },
  } as unknown as Producer;
}

const request = {
  topicMessages: [{ topic: 'out', messages: [{ key: 'k', value: 'v' }] }],
  offset: { topic: 'in', partition: 0, offset: '5' },
};

describe('AtLeastOnceCommitter', () => {
  it('commits the offset only after the outputs are acknowledged', async () => {
    const order: string[] = [];
    const sent: TopicMessages[][] = [];
    const producer = fakeProducer(sent);
    const committer = new AtLeastOnceCommitter(producer, async (offsets) => {
      order.push(`offsets ${offsets[0]!.offset} after ${sent.length} batch`);
    });
    await committer.commit(request);
    expect(order).toEqual(['offsets 5 after 1 batch']);
  });

  it('never commits the offset when sending fails', async () => {
    const committed: unknown[] = [];
    const committer = new AtLeastOnceCommitter(fakeProducer([], new Error('broker down')), async (o) => {
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
    const tolerant = new AtLeastOnceCommitter(fakeProducer([]), async () => {
      throw rebalancing;
    });
    await expect(tolerant.commit(request)).resolves.toBeUndefined();
    const strict = new AtLeastOnceCommitter(fakeProducer([]), async () => {
      throw Object.assign(new Error('denied'), { type: 'GROUP_AUTHORIZATION_FAILED' });
    });
    await expect(strict.commit(request)).rejects.toMatchObject({ code: 'TRIB_PROC_COMMIT_FAILED' });
  });
});
