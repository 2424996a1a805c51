import { describe, expect, it } from 'vitest';
import { chunkTopicMessages, MAX_MESSAGES_PER_SEND } from '../../src/kafka/send-chunks.js';

const msgs = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ value: `${prefix}${i}` }));

describe('chunkTopicMessages', () => {
  it('caps every payload at 1000 messages per topic by default, one entry per topic, order kept', () => {
    expect(MAX_MESSAGES_PER_SEND).toBe(1_000);
    const calls = chunkTopicMessages([
      { topic: 'changelog', messages: msgs('c', 2_500) },
      { topic: 'out', messages: msgs('o', 10) },
    ]);
    expect(calls.map((c) => c.map((t) => [t.topic, t.messages.length]))).toEqual([
      [
        ['changelog', 1_000],
        ['out', 10],
      ],
      [['changelog', 1_000]],
      [['changelog', 500]],
    ]);
    const changelog = calls.flatMap((c) =>
      c.filter((t) => t.topic === 'changelog').flatMap((t) => t.messages),
    );
    expect(changelog.map((m) => m.value)).toEqual(msgs('c', 2_500).map((m) => m.value));
  });

  it('merges two entries of the same topic instead of letting kafkajs drop one', () => {
    const calls = chunkTopicMessages(
      [
        { topic: 't', messages: msgs('a', 2) },
        { topic: 'u', messages: msgs('u', 1) },
        { topic: 't', messages: msgs('b', 2) },
      ],
      3,
    );
    expect(calls).toEqual([
      [
        { topic: 't', messages: [{ value: 'a0' }, { value: 'a1' }, { value: 'b0' }] },
        { topic: 'u', messages: [{ value: 'u0' }] },
      ],
      [{ topic: 't', messages: [{ value: 'b1' }] }],
    ]);
  });

  it('returns no payload when there is nothing to send, and rejects a bad cap', () => {
    expect(chunkTopicMessages([])).toEqual([]);
    expect(chunkTopicMessages([{ topic: 't', messages: [] }])).toEqual([]);
    expect(() => chunkTopicMessages([], 0)).toThrow(/maxPerTopic must be a positive integer/);
  });
});
