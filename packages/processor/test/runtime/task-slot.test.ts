import type { KafkaMessage, Message } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import type { CommitRequest, PartitionCommitter } from '../../src/kafka/partition-committer.js';
import { ProcessorMetrics } from '../../src/metrics/processor-metrics.js';
import { RUNTIME_CHANNELS } from '../../src/runtime/diagnostics.js';
import { TaskSlot } from '../../src/runtime/task-slot.js';
import { deadLetterRecord } from '../../src/engine/side-outputs.js';
import type { OutputSink } from '../../src/task/output-sink.js';
import type {
  ChangelogEntry,
  InputRecord,
  OutputRecord,
  PartitionTask,
} from '../../src/task/partition-task.js';
import { CounterTask } from '../fixtures/counter-task.mjs';

class RecordingCommitter implements PartitionCommitter {
  readonly requests: CommitRequest[] = [];
  failNext = false;
  closed = false;
  async open(): Promise<void> {}
  async commit(request: CommitRequest): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw Object.assign(new Error('fenced'), { code: 'TRIB_PROC_COMMIT_FAILED' });
    }
    this.requests.push(request);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const message = (offset: number, key: string): KafkaMessage =>
  ({
    offset: String(offset),
    key: Buffer.from(key),
    value: Buffer.from('x'),
    timestamp: '1000',
    attributes: 0,
    headers: {},
  }) as KafkaMessage;

function setup(
  committed: number | null,
  task: PartitionTask = new CounterTask(),
  maxMessageBytes = new Map<string, number>(),
  outputSinks?: ReadonlyMap<string, OutputSink>,
) {
  const committer = new RecordingCommitter();
  const metrics = new ProcessorMetrics();
  let now = 0;
  const slot = new TaskSlot('in', 1, task, committer, committed, {
    stageId: 'app',
    outputs: new Map([
      ['results', 'out'],
      ['dead-letter', 'dlq'],
    ]),
    partitionCounts: new Map([
      ['out', 2],
      ['dlq', 2],
    ]),
    maxMessageBytes,
    metrics,
    now: () => (now += 5),
    ...(outputSinks === undefined ? {} : { outputSinks }),
  });
  return { slot, committer, metrics };
}

/** Copies every record to the dead-letter output, as the engine does with an invalid one. */
class CopyToDeadLetterTask implements PartitionTask {
  readonly stores: readonly string[] = [];
  #out: OutputRecord[] = [];
  process(record: InputRecord): void {
    this.#out.push(deadLetterRecord('dead-letter', record, 'TRIB_SCHEMA_DECODE_FAILED', 'bad'));
  }
  tick(): void {}
  drainOutputs(): OutputRecord[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }
  drainChangelog(): ChangelogEntry[] {
    return [];
  }
  restore(): void {}
}

describe('TaskSlot', () => {
  it('skips records below the committed position (a rewound fetch) and moves past markers', () => {
    const { slot } = setup(10);
    expect(slot.process([message(8, 'a'), message(9, 'a'), message(10, 'a'), message(11, 'b')], '12')).toBe(
      2,
    );
    expect(slot.nextOffset).toBe(13);
    slot.advanceTo('11');
    expect(slot.nextOffset).toBe(13);
    slot.advanceTo('20');
    expect(slot.nextOffset).toBe(21);
  });

  it('rejects an offset a number cannot hold exactly where it comes in from kafkajs', () => {
    const { slot } = setup(10);
    const code = expect.objectContaining({ code: 'TRIB_PROC_OFFSET_OUT_OF_RANGE' });
    expect(() => slot.advanceTo('9007199254740992')).toThrow(code);
    expect(() =>
      slot.process([{ ...message(0, 'a'), offset: '9007199254740993' }], '9007199254740993'),
    ).toThrow(code);
    expect(slot.nextOffset).toBe(10);
  });

  it('commits drained outputs, changelog and the next offset in one request, then nothing when unchanged', async () => {
    const { slot, committer, metrics } = setup(null);
    slot.process([message(0, 'a'), message(1, 'a'), message(2, 'b')], '2');
    await slot.commit();
    expect(committer.requests).toHaveLength(1);
    const request = committer.requests[0]!;
    expect(request.offset).toEqual({ topic: 'in', partition: 1, offset: 3 });
    const topics = Object.fromEntries(
      request.topicMessages.map((t) => [t.topic, t.messages.map((m) => m.value?.toString())]),
    );
    expect(topics).toEqual({ out: ['1', '2', '1'], 'app-counts-changelog': ['2', '1'] });
    expect(metrics.stats).toMatchObject({ commits: 1, recordsOut: 3, changelogRecords: 2 });
    await slot.commit();
    expect(committer.requests).toHaveLength(1);
  });

  it('hands an output with a sink its records before the offsets are committed, and its refusals to Kafka', async () => {
    const events: string[] = [];
    const seen: { committer?: RecordingCommitter } = {};
    const sink: OutputSink = {
      async write(records) {
        events.push(`sink ${records.map((r) => r.value?.toString()).join(',')}`);
        expect(seen.committer!.requests).toHaveLength(0); // before the commit
        return [{ ...records[0]!, output: 'dead-letter' }];
      },
    };
    const sinkOnly = setup(null, new CounterTask(), new Map(), new Map([['results', sink]]));
    const committer = sinkOnly.committer;
    seen.committer = committer;
    sinkOnly.slot.process([message(0, 'a'), message(1, 'b')], '1');
    await sinkOnly.slot.commit();
    expect(events).toEqual(['sink 1,1']);
    const request = committer.requests[0]!;
    expect(request.offset).toEqual({ topic: 'in', partition: 1, offset: 2 });
    // 'results' also maps to a topic in this setup: the topic gets the records too, the dead letter goes to Kafka.
    const topics = Object.fromEntries(
      request.topicMessages.map((t) => [t.topic, t.messages.map((m) => m.value?.toString())]),
    );
    expect(topics).toMatchObject({ out: ['1', '1'], dlq: ['1'] });
  });

  it('a failing sink fails the commit: nothing is committed', async () => {
    const sink: OutputSink = { write: () => Promise.reject(new Error('Elasticsearch unavailable')) };
    const { slot, committer } = setup(null, new CounterTask(), new Map(), new Map([['results', sink]]));
    slot.process([message(0, 'a')], '0');
    await expect(slot.commit()).rejects.toThrow('Elasticsearch unavailable');
    expect(committer.requests).toHaveLength(0);
    await expect(slot.commit()).rejects.toThrow('Elasticsearch unavailable');
  });

  it('counts records fed since the last commit snapshot (backpressure)', async () => {
    const { slot } = setup(null);
    slot.process([message(0, 'a'), message(1, 'b')], '1');
    expect(slot.uncommitted).toBe(2);
    await slot.commit();
    expect(slot.uncommitted).toBe(0);
  });

  it('publishes commit and commit-failed diagnostics', async () => {
    const seen: unknown[] = [];
    const onCommit = (m: unknown): void => void seen.push(['commit', m]);
    const onFailed = (m: unknown): void => void seen.push(['failed', m]);
    RUNTIME_CHANNELS.commit.subscribe(onCommit);
    RUNTIME_CHANNELS.commitFailed.subscribe(onFailed);
    try {
      const ok = setup(0);
      ok.slot.process([message(0, 'a')], '0');
      await ok.slot.commit();
      const failing = setup(0);
      failing.slot.process([message(0, 'a')], '0');
      failing.committer.failNext = true;
      await failing.slot.commit().catch(() => undefined);
    } finally {
      RUNTIME_CHANNELS.commit.unsubscribe(onCommit);
      RUNTIME_CHANNELS.commitFailed.unsubscribe(onFailed);
    }
    expect(seen).toEqual([
      [
        'commit',
        expect.objectContaining({ stage: 'app', topic: 'in', partition: 1, offset: 1, messages: 2 }),
      ],
      ['failed', expect.objectContaining({ stage: 'app', topic: 'in', partition: 1 })],
    ]);
  });

  it('surfaces a failed commit, counts it, and refuses every later commit (its outputs are gone)', async () => {
    const { slot, committer, metrics } = setup(0);
    slot.process([message(0, 'a')], '0');
    committer.failNext = true;
    await expect(slot.commit()).rejects.toMatchObject({ code: 'TRIB_PROC_COMMIT_FAILED' });
    expect(metrics.stats.commitFailures).toBe(1);
    slot.process([message(1, 'a')], '1');
    await expect(slot.commit()).rejects.toMatchObject({ code: 'TRIB_PROC_COMMIT_FAILED' });
    expect(committer.requests).toHaveLength(0);
    expect(metrics.stats.commitFailures).toBe(1);
  });

  it('closes after the commit in flight and ignores later commits', async () => {
    const { slot, committer } = setup(null);
    slot.process([message(0, 'a')], '0');
    const pending = slot.commit();
    await slot.close();
    await pending;
    expect(committer.closed).toBe(true);
    expect(committer.requests).toHaveLength(1);
    slot.process([message(1, 'a')], '1');
    await slot.commit();
    expect(committer.requests).toHaveLength(1);
  });

  it('feeds a range of a batch, skipping only the records before the committed position', () => {
    const { slot, committer } = setup(5);
    const batch = [message(3, 'a'), message(4, 'a'), message(5, 'a'), message(6, 'b'), message(7, 'b')];
    expect(slot.process(batch, '4', 0, 2)).toBe(0);
    expect(slot.process(batch, '6', 2, 4)).toBe(2);
    expect(slot.process(batch, '7', 4)).toBe(1);
    expect(slot.nextOffset).toBe(8);
    expect(slot.uncommitted).toBe(3);
    return slot.commit().then(() => {
      expect(committer.requests[0]!.offset).toEqual({ topic: 'in', partition: 1, offset: 8 });
    });
  });

  it('snapshots a commit synchronously when none is in flight, so records fed meanwhile go in the next one', async () => {
    const { slot, committer } = setup(null);
    slot.process([message(0, 'a'), message(1, 'a')], '1');
    const first = slot.commit();
    expect(slot.committing).toBe(true);
    expect(slot.uncommitted).toBe(0); // drained at once
    slot.process([message(2, 'b')], '2');
    expect(slot.uncommitted).toBe(1);
    const second = slot.commit(); // queued behind the first
    await first;
    await second;
    await slot.settled;
    expect(slot.committing).toBe(false);
    expect(committer.requests.map((r) => r.offset?.offset)).toEqual([2, 3]);
  });

  it('copies a record with null and binary header values to the dead-letter output without failing', async () => {
    const { slot, committer } = setup(null, new CopyToDeadLetterTask());
    const hostile = {
      ...message(0, 'a'),
      headers: { none: null, many: [Buffer.from('x'), null], bin: Buffer.from([0xff]) },
    } as unknown as KafkaMessage;
    expect(slot.process([hostile], '0')).toBe(1);
    await slot.commit();
    const copy = committer.requests[0]!.topicMessages.find((t) => t.topic === 'dlq')!.messages[0]!;
    expect(copy.headers).toMatchObject({
      none: null,
      bin: Buffer.from([0xff]),
      'tributary.error.reason': 'bad',
    });
    expect((copy.headers as Record<string, unknown>)['many']).toEqual([Buffer.from('x'), null]);
  });

  it("replaces an output over its topic's max.message.bytes with a truncated dead letter, counted", async () => {
    const { slot, committer, metrics } = setup(null, new CopyToDeadLetterTask(), new Map([['dlq', 4_096]]));
    const big = { ...message(0, 'k'), value: Buffer.alloc(100_000, 0x61) } as KafkaMessage;
    slot.process([big, message(1, 'small')], '1');
    await slot.commit();
    const sent = committer.requests[0]!.topicMessages.find((t) => t.topic === 'dlq')!.messages;
    expect(sent).toHaveLength(2);
    const [replaced, kept] = sent as [Message, Message];
    const h = replaced.headers as Record<string, unknown>;
    // Already a dead letter: its own code and reason stay; the size is said by the other headers.
    expect(h['tributary.error.code']).toBe('TRIB_SCHEMA_DECODE_FAILED');
    expect(h['tributary.error.reason']).toBe('bad');
    expect(h['tributary.error.original-topic']).toBe('dlq');
    expect(String(h['tributary.error.original-bytes'])).toMatch(/^100\d{3}$/);
    expect(h['tributary.error.truncated']).toBe('true');
    expect(h['tributary.source.offset']).toBe('0');
    expect((replaced.value as Buffer).length).toBeLessThan(4_096);
    expect((replaced.value as Buffer).equals(big.value!.subarray(0, (replaced.value as Buffer).length))).toBe(
      true,
    );
    expect(kept.value).toEqual(Buffer.from('x'));
    // A dead letter that was itself too large keeps its first code in the dead-letter count.
    expect(metrics.stats).toMatchObject({ oversizedRecords: 1, deadLetters: 2 });
  });
});
