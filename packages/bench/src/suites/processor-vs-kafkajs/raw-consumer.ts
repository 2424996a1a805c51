import { createKafkaClient, kafkajsPatches, type FetchDecodingInstall } from '@tributary/kafka';
import { STREAM_JOB_OPTIONS } from '@tributary/processor';
import { cpuSecondsSince } from '../cpu-rounds.js';

export interface RawConsumerConfig {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly group: string;
}

/** What the raw consumer child prints as its one stdout line. */
export interface RawConsumerLine {
  readonly records: number;
  readonly bytes: number;
  readonly expected: number;
  readonly startedAt: number;
  readonly joinedAt: number;
  readonly firstRecordAt: number;
  readonly doneAt: number;
  /** This process's CPU from the group join to the last record. */
  readonly steadyCpuSec: number;
  /** The fetch decoding kafkajs runs with (none: kafkajs' own, `TRIBUTARY_KAFKAJS_DECODING=kafkajs`). */
  readonly fetchDecoding: FetchDecodingInstall | null;
}

/**
 * The ceiling: a kafkajs consumer (fresh group, `eachBatch`, the processor's consumer settings) that reads the topic
 * from the beginning to its end offsets and touches each value's length, nothing else.
 */
export async function rawConsume(config: RawConsumerConfig): Promise<RawConsumerLine> {
  const startedAt = Date.now();
  const kafka = createKafkaClient({ clientId: 'tributary-processor-bench', brokers: config.brokers });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map(
    (await admin.fetchTopicOffsets(config.topic)).map((o) => [o.partition, Number(o.high)]),
  );
  await admin.disconnect();
  const expected = [...ends.values()].reduce((a, b) => a + b, 0);
  const next = new Map([...ends.keys()].map((p) => [p, 0]));
  const consumer = kafka.consumer({
    groupId: config.group,
    readUncommitted: false,
    maxWaitTimeInMs: STREAM_JOB_OPTIONS.defaults.maxWaitTimeInMs!,
    sessionTimeout: STREAM_JOB_OPTIONS.defaults.sessionTimeoutMs!,
    heartbeatInterval: 3_000,
    allowAutoTopicCreation: false,
  });
  let joinedAt: number | undefined;
  let cpuAtJoin: NodeJS.CpuUsage | undefined;
  let firstRecordAt: number | undefined;
  let records = 0;
  let bytes = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joinedAt ??= Date.now();
    cpuAtJoin ??= process.cpuUsage();
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [config.topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: STREAM_JOB_OPTIONS.defaults.partitionsConsumedConcurrently!,
    eachBatch: async ({ batch }) => {
      firstRecordAt ??= Date.now();
      for (const m of batch.messages) bytes += m.value === null ? 0 : m.value.length;
      records += batch.messages.length;
      const last = batch.messages.at(-1);
      if (last !== undefined) next.set(batch.partition, Number(last.offset) + 1);
      if ([...ends].every(([p, end]) => next.get(p)! >= end)) finish();
    },
  });
  if (expected === 0) finish();
  await finished;
  const doneAt = Date.now();
  const steadyCpuSec = cpuSecondsSince(cpuAtJoin ?? process.cpuUsage());
  await consumer.disconnect();
  return {
    records,
    bytes,
    expected,
    startedAt,
    joinedAt: joinedAt ?? doneAt,
    firstRecordAt: firstRecordAt ?? doneAt,
    doneAt,
    steadyCpuSec,
    fetchDecoding: kafkajsPatches()?.fetchDecoding ?? null,
  };
}
