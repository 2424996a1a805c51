import { describe, expect, it } from 'vitest';
import {
  chunkTopicMessages,
  MAX_BYTES_PER_SEND,
  MAX_MESSAGES_PER_SEND,
} from '../../src/kafka/send-chunks.js';

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
      { maxMessages: 3 },
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
    expect(() => chunkTopicMessages([], { maxMessages: 0 })).toThrow(
      /maxMessages must be a positive integer/,
    );
    expect(() => chunkTopicMessages([], { maxBytes: 1.5 })).toThrow(/maxBytes must be a positive integer/);
  });

  it('also caps the bytes per topic (512 KiB by default) so a partition record batch stays under ~1 MB', () => {
    expect(MAX_BYTES_PER_SEND).toBe(524_288);
    const big = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: Buffer.alloc(64 * 1024) }));
    const calls = chunkTopicMessages([
      { topic: 'dedup', messages: big },
      { topic: 'out', messages: [{ value: 'x' }] },
    ]);
    expect(calls.map((c) => c.map((t) => [t.topic, t.messages.length]))).toEqual([
      [
        ['dedup', 7],
        ['out', 1],
      ],
      [['dedup', 7]],
      [['dedup', 6]],
    ]);
    const huge = [{ value: 'a'.repeat(2_000) }, { value: 'b', headers: { h: ['1', Buffer.from('2')] } }];
    expect(chunkTopicMessages([{ topic: 't', messages: huge }], { maxBytes: 1_000 })).toEqual([
      [{ topic: 't', messages: [huge[0]] }],
      [{ topic: 't', messages: [huge[1]] }],
    ]);
  });

  it("keeps each topic's calls below its max.message.bytes when that is smaller than maxBytes", () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: Buffer.alloc(20_000) }));
    const calls = chunkTopicMessages(
      [
        { topic: 'small-limit', messages },
        { topic: 'default', messages },
      ],
      { maxMessageBytes: new Map([['small-limit', 50_000]]) },
    );
    // 50 000 − 512 bytes of framing: two 20 kB records per call; the other topic keeps the 512 KiB default.
    expect(calls.map((c) => c.map((t) => [t.topic, t.messages.length]))).toEqual([
      [
        ['small-limit', 2],
        ['default', 10],
      ],
      [['small-limit', 2]],
      [['small-limit', 2]],
      [['small-limit', 2]],
      [['small-limit', 2]],
    ]);
  });
});
