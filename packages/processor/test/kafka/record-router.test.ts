import { loadKafkajs } from '@tributary/kafka';
import type { PartitionerArgs } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { routeRecords } from '../../src/kafka/record-router.js';
import type { OutputRecord } from '../../src/task/partition-task.js';

const ctx = {
  stageId: 'app',
  inputPartition: 2,
  outputs: new Map([
    ['results', 'metrics'],
    ['repartition', 'rep'],
  ]),
  partitionCounts: new Map([
    ['metrics', 4],
    ['rep', 3],
  ]),
  nowMs: 1_000,
};

const out = (
  output: string,
  destination: OutputRecord['destination'],
  key = 'k',
  timestamp?: number,
): OutputRecord => ({
  output,
  key: Buffer.from(key),
  value: Buffer.from('v'),
  headers: { h: '1' },
  destination,
  ...(timestamp === undefined ? {} : { timestamp }),
});

describe('routeRecords', () => {
  it("gives by-key records kafkajs' default partition explicitly and keeps explicit partitions", () => {
    const r = routeRecords(
      [out('results', { kind: 'by-key' }, 'a', 55), out('results', { kind: 'partition', partition: 1 }, 'b')],
      [],
      ctx,
    );
    expect(r.topicMessages).toHaveLength(1);
    const [first, second] = r.topicMessages[0]!.messages;
    expect(r.topicMessages[0]!.topic).toBe('metrics');
    expect(first!.partition).toBe(defaultPartition('a', 4));
    expect(first!.timestamp).toBe('55');
    expect(second!.partition).toBe(1);
    expect(second!.timestamp).toBe('1000');
    expect(r.outputCounts.get('results')).toBe(2);
  });

  it('picks the partition kafkajs’ default partitioner picks for every key; a null key is left to kafkajs', () => {
    const keys = Array.from({ length: 500 }, (_, i) => `/page/${i}/ü`);
    const r = routeRecords(
      keys.map((k) => out('repartition', { kind: 'by-key' }, k)),
      [],
      ctx,
    );
    expect(r.topicMessages[0]!.messages.map((m) => m.partition)).toEqual(
      keys.map((k) => defaultPartition(k, 3)),
    );
    const nullKey = routeRecords([{ ...out('results', { kind: 'by-key' }), key: null }], [], ctx);
    expect(nullKey.topicMessages[0]!.messages[0]!.partition).toBeUndefined();
  });

  it('broadcasts one copy to every partition of the target topic', () => {
    const r = routeRecords([out('repartition', { kind: 'broadcast' })], [], ctx);
    expect(r.topicMessages[0]!.messages.map((m) => m.partition)).toEqual([0, 1, 2]);
    expect(r.outputCounts.get('repartition')).toBe(3);
    expect(r.messageCount).toBe(3);
  });

  it('writes changelog entries to the store topic at the input partition, tombstones included', () => {
    const r = routeRecords(
      [],
      [
        { store: 'windows', key: 'x', value: Buffer.from('1') },
        { store: 'windows', key: 'y', value: null },
      ],
      ctx,
    );
    expect(r.topicMessages[0]!.topic).toBe('app-windows-changelog');
    expect(r.topicMessages[0]!.messages.map((m) => [m.key, m.partition, m.value])).toEqual([
      ['x', 2, Buffer.from('1')],
      ['y', 2, null],
    ]);
    expect(r.changelogCount).toBe(2);
  });

  it('drops records of an output mapped to null, counting them', () => {
    const r = routeRecords([out('discard', { kind: 'by-key' }), out('results', { kind: 'by-key' })], [], {
      ...ctx,
      outputs: new Map<string, string | null>([...ctx.outputs, ['discard', null]]),
    });
    expect(r.topicMessages.map((t) => t.topic)).toEqual(['metrics']);
    expect(r.outputCounts.get('discard')).toBe(1);
    expect(r.messageCount).toBe(1);
  });

  it('fails naming an unmapped output', () => {
    expect(() => routeRecords([out('late', { kind: 'by-key' })], [], ctx)).toThrow(
      expect.objectContaining({
        code: 'TRIB_PROC_UNKNOWN_OUTPUT',
        message: expect.stringContaining('outputs.late'),
      }),
    );
  });

  it("replaces a record over its topic's max.message.bytes by a dead letter naming the reason, or fails without one", () => {
    const big: OutputRecord = {
      ...out('results', { kind: 'by-key' }, 'page'),
      value: Buffer.alloc(50_000, 1),
    };
    const withDlq = {
      ...ctx,
      outputs: new Map([...ctx.outputs, ['dead-letter', 'dlq']]),
      maxMessageBytes: new Map([
        ['metrics', 10_000],
        ['dlq', 20_000],
      ]),
      source: { topic: 'in', partition: 2, offset: 41 },
    };
    const r = routeRecords([big, out('results', { kind: 'by-key' }, 'small')], [], withDlq);
    expect(r.topicMessages.map((t) => [t.topic, t.messages.length])).toEqual([
      ['dlq', 1],
      ['metrics', 1],
    ]);
    const letter = r.topicMessages[0]!.messages[0]!;
    expect(letter.headers).toMatchObject({
      h: '1',
      'tributary.error.code': 'TRIB_PROC_RECORD_TOO_LARGE',
      'tributary.error.original-topic': 'metrics',
      'tributary.error.truncated': 'true',
      'tributary.source.topic': 'in',
      'tributary.source.partition': '2',
      'tributary.source.offset': '41',
    });
    expect(String(letter.headers!['tributary.error.reason'])).toMatch(
      /^a record of about 500\d\d bytes for metrics is over its max\.message\.bytes \(10000\)$/,
    );
    // Truncated to fit the dead-letter topic's own limit.
    expect((letter.value as Buffer).length).toBeLessThan(20_000);
    expect([...r.oversized]).toEqual([['results', 1]]);
    expect(r.outputCounts.get('dead-letter')).toBe(1);
    // No dead-letter output mapped: the commit fails naming the record, nothing is dropped silently.
    expect(() =>
      routeRecords([big], [], { ...ctx, maxMessageBytes: new Map([['metrics', 10_000]]) }),
    ).toThrow(
      expect.objectContaining({
        code: 'TRIB_PROC_RECORD_TOO_LARGE',
        message: expect.stringContaining('metrics'),
      }),
    );
  });
});

/** kafkajs' own default partitioner (murmur2 of the key over the partition count). */
function defaultPartition(key: string, partitions: number): number {
  const partitioner = loadKafkajs().Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));
  const args: PartitionerArgs = {
    topic: 't',
    partitionMetadata,
    message: { key: Buffer.from(key), value: 'v' },
  };
  return partitioner(args);
}
