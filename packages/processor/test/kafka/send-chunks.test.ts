import { describe, expect, it } from 'vitest';
import { chunkTopicMessages, MAX_BYTES_PER_SEND } from '../../src/kafka/send-chunks.js';

const msgs = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ value: `${prefix}${i}` }));

describe('chunkTopicMessages', () => {
  it('sends any number of small messages in one payload (no count cap), one entry per topic, order kept', () => {
    expect(
      chunkTopicMessages([
        { topic: 'changelog', messages: msgs('c', 10_000) },
        { topic: 'out', messages: msgs('o', 10) },
      ]).map((c) => c.map((t) => [t.topic, t.messages.length])),
    ).toEqual([
      [
        ['changelog', 10_000],
        ['out', 10],
      ],
    ]);
    // 2 500 records estimated at 34–37 bytes (32 of framing): three payloads of at most 40 000 bytes
    const calls = chunkTopicMessages(
      [
        { topic: 'changelog', messages: msgs('c', 2_500) },
        { topic: 'out', messages: msgs('o', 10) },
      ],
      { maxBytes: 40_000 },
    );
    expect(calls.map((c) => c.map((t) => [t.topic, t.messages.length]))).toEqual([
      [
        ['changelog', 1_111],
        ['out', 10],
      ],
      [['changelog', 1_081]],
      [['changelog', 308]],
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
      { maxBytes: 3 * 35 },
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
    expect(() => chunkTopicMessages([], { maxBytes: 0 })).toThrow(/maxBytes must be a positive integer/);
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
