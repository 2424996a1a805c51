import type { Producer, TopicMessages } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { CoalescingSender } from '../../src/kafka/coalescing-sender.js';

interface Call {
  readonly topicMessages: TopicMessages[];
  readonly acks: number;
  done(): void;
  fail(error: Error): void;
}

/** A producer whose requests stay in flight until the test settles them. */
function heldProducer(): { producer: Producer; calls: Call[] } {
  const calls: Call[] = [];
  const producer = {
    sendBatch: ({ topicMessages, acks }: { topicMessages: TopicMessages[]; acks: number }) =>
      new Promise((resolve, reject) => {
        calls.push({ topicMessages, acks, done: () => resolve([]), fail: reject });
      }),
  } as unknown as Producer;
  return { producer, calls };
}

const values = (call: Call | undefined): Record<string, unknown[]> =>
  Object.fromEntries((call?.topicMessages ?? []).map((t) => [t.topic, t.messages.map((m) => m.value)]));

const settled = async (p: Promise<unknown>): Promise<string> =>
  Promise.race([
    p.then(
      () => 'resolved',
      () => 'rejected',
    ),
    new Promise<string>((r) => setTimeout(() => r('pending'), 5)),
  ]);

describe('CoalescingSender', () => {
  it('sends at once when nothing is in flight, with acks all', async () => {
    const { producer, calls } = heldProducer();
    const sender = new CoalescingSender(producer);
    const sent = sender.send([{ topic: 'repartition', messages: [{ value: 'a' }] }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.acks).toBe(-1);
    expect(await settled(sent)).toBe('pending');
    calls[0]!.done();
    await expect(sent).resolves.toBeUndefined();
  });

  it('sends what arrives during a request together in the next one, each resolved with its own request', async () => {
    const { producer, calls } = heldProducer();
    const sender = new CoalescingSender(producer);
    const first = sender.send([{ topic: 'repartition', messages: [{ value: 'p0' }] }]);
    const second = sender.send([
      { topic: 'repartition', messages: [{ value: 'p1' }] },
      { topic: 'changelog', messages: [{ value: 'c1' }] },
    ]);
    const third = sender.send([{ topic: 'repartition', messages: [{ value: 'p2a' }, { value: 'p2b' }] }]);
    expect(calls).toHaveLength(1); // the second and third wait for the first request
    calls[0]!.done();
    await first;
    expect(calls).toHaveLength(2);
    // One request for both, each send's messages in the order the sends were made.
    expect(values(calls[1])).toEqual({ repartition: ['p1', 'p2a', 'p2b'], changelog: ['c1'] });
    expect(await settled(second)).toBe('pending');
    expect(await settled(third)).toBe('pending');
    calls[1]!.done();
    await expect(Promise.all([second, third])).resolves.toEqual([undefined, undefined]);
    expect(calls).toHaveLength(2);
  });

  it('rejects every send of a failed request; later sends go out again', async () => {
    const { producer, calls } = heldProducer();
    const sender = new CoalescingSender(producer);
    const first = sender.send([{ topic: 't', messages: [{ value: '1' }] }]);
    const second = sender.send([{ topic: 't', messages: [{ value: '2' }] }]);
    const third = sender.send([{ topic: 't', messages: [{ value: '3' }] }]);
    calls[0]!.done();
    await first;
    calls[1]!.fail(new Error('broker down'));
    await expect(second).rejects.toThrow('broker down');
    await expect(third).rejects.toThrow('broker down');
    const fourth = sender.send([{ topic: 't', messages: [{ value: '4' }] }]);
    expect(values(calls[2])).toEqual({ t: ['4'] });
    calls[2]!.done();
    await expect(fourth).resolves.toBeUndefined();
  });

  it("keeps a coalesced request under the strictest of the sends' record-batch limits", async () => {
    const { producer, calls } = heldProducer();
    const sender = new CoalescingSender(producer);
    const first = sender.send([{ topic: 'other', messages: [{ value: 'x' }] }]);
    const message = (v: string) => ({ key: 'k', value: v.padStart(100, '0') }); // 133 bytes estimated
    // Room for two records per batch in the second send's limit, one in the third's.
    const second = sender.send([{ topic: 'changelog', messages: [message('a'), message('b')] }], {
      maxMessageBytes: new Map([['changelog', 512 + 2 * 133]]),
    });
    const third = sender.send([{ topic: 'changelog', messages: [message('c')] }], {
      maxMessageBytes: new Map([['changelog', 512 + 133]]),
    });
    calls[0]!.done();
    await first;
    for (let i = 1; i <= 3; i++) {
      expect(calls).toHaveLength(i + 1);
      expect(calls[i]!.topicMessages.map((t) => t.messages.length)).toEqual([1]);
      calls[i]!.done();
      await new Promise((r) => setImmediate(r));
    }
    await expect(Promise.all([second, third])).resolves.toHaveLength(2);
    expect(calls.slice(1).map((c) => (c.topicMessages[0]!.messages[0]!.value as string).slice(-1))).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});
