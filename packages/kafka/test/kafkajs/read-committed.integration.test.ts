import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Admin, Kafka, Producer, Transaction } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  filterAbortedTransactions,
  type AbortedTransaction,
} from '../../src/kafkajs/aborted-transactions.js';
import { installAdminCluster } from '../../src/kafkajs/admin-cluster.js';
import { installKafkajsClientFixes, type KafkajsPatches } from '../../src/kafkajs/patches.js';
import { rng } from '../../../../test/helpers/rng.js';

/**
 * Differential test of the read_committed filter against Apache Kafka itself: randomized (seeded) interleavings of
 * several kafkajs transactional producers — overlapping transactions over several partitions, commits and aborts —
 * plus non-transactional records, read back from the beginning by a kafkajs consumer with the patches installed and
 * by Apache Kafka's Java console consumer (`isolation.level=read_committed`), both with a per-partition fetch limit of
 * a few hundred bytes so that transactions span fetches. Both must return the same records at the same offsets —
 * the committed ones the producers wrote — while kafkajs' own filter, replayed on the very fetches the consumer got,
 * returns records of aborted transactions.
 */
const require = createRequire(import.meta.url);
const suffix = randomUUID().slice(0, 8);
const SEEDS = [1, 2, 3, 4];
const PARTITIONS = 3;
const STEPS = 36;
const FETCH_BYTES = 300;
const topicOf = (name: string): string => `rc-it-${suffix}-${name}`;
const NAMES = ['abc', ...SEEDS.map((seed) => `seed${seed}`)];
const TOPICS = NAMES.map(topicOf);
const KAFKAJS_GROUP = `rc-it-kafkajs-${suffix}`;
const JAVA_GROUP = `rc-it-java-${suffix}`;

interface Sent {
  topic: string;
  partition: number;
  value: string;
  fate: 'open' | 'committed' | 'aborted';
}

interface Read {
  offset: string;
  value: string;
}

interface FetchedMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  isControlRecord: boolean;
}

interface Fetched {
  topic: string;
  fetchedOffset: string;
  partitionData: { partition: number; abortedTransactions: AbortedTransaction[]; messages: FetchedMessage[] };
}

type BatchClass = new (
  topic: string,
  fetchedOffset: string,
  partitionData: Fetched['partitionData'],
) => object;
type Filter = (args: {
  messages: FetchedMessage[];
  abortedTransactions: AbortedTransaction[];
}) => FetchedMessage[];

// kafkajs' own filter, loaded before the install replaces its module; then the patches, before kafkajs loads.
const kafkajsFilter = require('kafkajs/src/consumer/filterAbortedMessages.js') as Filter;
const fixes = installKafkajsClientFixes(require);
// Every fetch the consumer's Batch is built from, to replay kafkajs' filter on the same data: recorded by a wrapper
// of the patched Batch, in place before the admin handle loads kafkajs' consumer (which keeps the Batch it finds).
const fetches: Fetched[] = [];
recordFetches();
const patches: KafkajsPatches = { ...fixes, adminCluster: installAdminCluster(require) };

let kafka: Kafka;
let admin: Admin;
const producers: Producer[] = [];
const sent: Sent[] = [];
const markers = new Map<string, number>();
let javaCommand: string;
let kafkaLibs: string;

const tp = (topic: string, partition: number): string => `${topic}/${partition}`;

beforeAll(async () => {
  const { Kafka: KafkaClient, logLevel } = await import('kafkajs');
  ({ javaCommand, libsDir: kafkaLibs } = inject('kafkaTools'));
  kafka = new KafkaClient({
    clientId: `rc-it-${suffix}`,
    brokers: inject('kafkaBrokers'),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 20, retries: 12 },
  });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: NAMES.map((name) => ({
      topic: topicOf(name),
      numPartitions: name === 'abc' ? 1 : PARTITIONS,
      replicationFactor: 1,
    })),
    waitForLeaders: true,
  });
  await produceAll();
});

afterAll(async () => {
  for (const producer of producers) await producer.disconnect().catch(() => undefined);
  await admin?.deleteTopics({ topics: TOPICS }).catch(() => undefined);
  await admin?.deleteGroups([KAFKAJS_GROUP, JAVA_GROUP]).catch(() => undefined);
  await admin?.disconnect();
});

describe('read_committed: the patched kafkajs consumer against Apache Kafka’s Java consumer', () => {
  it('returns the same records at the same offsets as the Java consumer, where kafkajs’ own filter does not', async () => {
    expect(patches.abortedTransactions).toBe(true);
    const [java, kafkajs] = await Promise.all([readWithJava(), readWithKafkajs()]);

    const expected = new Map<string, string[]>();
    for (const { topic, partition, value, fate } of sent) {
      if (fate === 'committed') pushTo(expected, tp(topic, partition), value);
    }
    const partitions = [...new Set([...expected.keys(), ...java.keys(), ...kafkajs.keys()])].sort();
    for (const key of partitions) {
      expect(kafkajs.get(key) ?? [], `kafkajs vs Java, ${key}`).toEqual(java.get(key) ?? []);
      expect(
        (java.get(key) ?? []).map((r) => r.value),
        `Java vs the producers' commits, ${key}`,
      ).toEqual(expected.get(key) ?? []);
    }
    expect(sent.filter((s) => s.fate === 'aborted').length).toBeGreaterThan(20);

    // The fetches replayed through our filter give what the consumer delivered (the recording is complete) …
    const replayed = replay(filterAbortedTransactions);
    for (const key of partitions) expect(replayed.get(key) ?? [], key).toEqual(kafkajs.get(key) ?? []);
    // … and through kafkajs' own filter, records of aborted transactions: in the A/B/C topic and in random ones.
    const leaky = replay(kafkajsFilter);
    const differing = partitions.filter(
      (key) => JSON.stringify(leaky.get(key) ?? []) !== JSON.stringify(java.get(key) ?? []),
    );
    expect(leaky.get(tp(topicOf('abc'), 0))?.map((r) => r.value)).toEqual(['abc:t0:A1', 'abc:plain:C']);
    expect(java.get(tp(topicOf('abc'), 0))?.map((r) => r.value)).toEqual(['abc:plain:C']);
    expect(differing.filter((key) => !key.startsWith(topicOf('abc'))).length).toBeGreaterThan(0);
    console.log(
      `[read-committed] ${sent.length} records sent (${sent.filter((s) => s.fate === 'aborted').length} aborted), ` +
        `${fetches.length} fetches; kafkajs' own filter differs from Java's on ${differing.length} of ` +
        `${partitions.length} partitions`,
    );
  });
});

/** Wraps the Batch class kafkajs' consumer will load so that it records the fetch data it is built from. */
function recordFetches(): void {
  const path = require.resolve('kafkajs/src/consumer/batch.js');
  const Batch = require(path) as BatchClass;
  function RecordingBatch(
    topic: string,
    fetchedOffset: string,
    partitionData: Fetched['partitionData'],
  ): object {
    fetches.push({ topic, fetchedOffset, partitionData });
    return new Batch(topic, fetchedOffset, partitionData);
  }
  RecordingBatch.prototype = Batch.prototype;
  require.cache[path]!.exports = RecordingBatch;
}

/** What a consumer delivers from the recorded fetches with `filter` (a re-fetched offset is delivered once). */
function replay(filter: Filter): Map<string, Read[]> {
  const out = new Map<string, Read[]>();
  for (const { topic, fetchedOffset, partitionData } of fetches) {
    const key = tp(topic, partitionData.partition);
    const within = partitionData.messages.filter((m) => BigInt(m.offset) >= BigInt(fetchedOffset));
    for (const m of filter({ messages: within, abortedTransactions: partitionData.abortedTransactions })) {
      const list = out.get(key) ?? [];
      if (m.isControlRecord || (list.length > 0 && BigInt(m.offset) <= BigInt(list.at(-1)!.offset))) continue;
      pushTo(out, key, { offset: m.offset, value: String(m.value) });
    }
  }
  return out;
}

function pushTo<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}

/**
 * Three transactional producers (t0–t2), a plain one (no producer id) and an idempotent one (a producer id, never
 * transactional) write the A/B/C interleaving, then a random interleaving per seed; each call is awaited before the
 * next, so the order per partition is known. Returns once every commit and abort marker is in the log.
 */
async function produceAll(): Promise<void> {
  const transactional = await Promise.all(
    [0, 1, 2].map(async (i) => {
      const producer = kafka.producer({
        transactionalId: `rc-it-${suffix}-t${i}`,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      producers.push(producer);
      return producer;
    }),
  );
  const plain = kafka.producer({ idempotent: false });
  const idempotent = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([plain.connect(), idempotent.connect()]);
  producers.push(plain, idempotent);

  const open = new Map<number, { transaction: Transaction; records: Sent[]; partitions: Set<string> }>();
  const send = async (
    name: string,
    who: number | 'plain' | 'idempotent',
    messages: Array<{ partition: number; value: string }>,
  ) => {
    const topic = topicOf(name);
    const records = messages.map(({ partition, value }) => ({
      topic,
      partition,
      value: `${name}:${typeof who === 'number' ? `t${who}` : who}:${value}`,
      fate: (typeof who === 'number' ? 'open' : 'committed') as Sent['fate'],
    }));
    const payload = { topic, messages: records.map(({ partition, value }) => ({ partition, value })) };
    if (typeof who !== 'number') {
      await (who === 'plain' ? plain : idempotent).send(payload);
    } else {
      let current = open.get(who);
      if (current === undefined) {
        current = {
          transaction: await transactional[who]!.transaction(),
          records: [],
          partitions: new Set(),
        };
        open.set(who, current);
      }
      await current.transaction.send(payload);
      current.records.push(...records);
      for (const r of records) current.partitions.add(tp(r.topic, r.partition));
    }
    sent.push(...records);
  };
  const end = async (who: number, commit: boolean) => {
    const current = open.get(who)!;
    open.delete(who);
    await (commit ? current.transaction.commit() : current.transaction.abort());
    for (const record of current.records) record.fate = commit ? 'committed' : 'aborted';
    for (const key of current.partitions) markers.set(key, (markers.get(key) ?? 0) + 1);
  };

  // A1, B1, A2, B aborts, A aborts, C: kafkajs 2.2.4 delivers A1 and C.
  await send('abc', 0, [{ partition: 0, value: 'A1' }]);
  await send('abc', 1, [{ partition: 0, value: 'B1' }]);
  await send('abc', 0, [{ partition: 0, value: 'A2' }]);
  await end(1, false);
  await end(0, false);
  await send('abc', 'plain', [{ partition: 0, value: 'C' }]);

  for (const seed of SEEDS) {
    const name = `seed${seed}`;
    const random = rng(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    let n = 0;
    const messages = () =>
      Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        partition: Math.floor(random() * PARTITIONS),
        value: String(n++),
      }));
    for (let step = 0; step < STEPS; step++) {
      const roll = random();
      const busy = [...open.keys()];
      if (roll < 0.55 || busy.length === 0) await send(name, pick([0, 1, 2]), messages());
      else if (roll < 0.7) await end(pick(busy), true);
      else if (roll < 0.88) await end(pick(busy), false);
      else await send(name, roll < 0.95 ? 'plain' : 'idempotent', messages());
    }
    for (const who of [...open.keys()]) await end(who, random() < 0.5);
  }
  await waitForMarkers();
}

/** Waits until every partition's end offset counts all records and markers (the markers are written after EndTxn). */
async function waitForMarkers(): Promise<void> {
  const expected = new Map<string, number>(markers);
  for (const { topic, partition } of sent) {
    expected.set(tp(topic, partition), (expected.get(tp(topic, partition)) ?? 0) + 1);
  }
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ends = new Map<string, number>();
    for (const topic of TOPICS) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
        if (Number(high) > 0) ends.set(tp(topic, partition), Number(high));
      }
    }
    if (JSON.stringify([...ends].sort()) === JSON.stringify([...expected].sort())) return;
    if (Date.now() > deadline) {
      expect(Object.fromEntries(ends), 'end offsets: records + markers').toEqual(
        Object.fromEntries(expected),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every topic from the beginning with a kafkajs consumer (patches installed), until each partition's end. */
async function readWithKafkajs(): Promise<Map<string, Read[]>> {
  const ends = new Map<string, bigint>();
  for (const topic of TOPICS) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic))
      ends.set(tp(topic, partition), BigInt(high));
  }
  const consumer = kafka.consumer({
    groupId: KAFKAJS_GROUP,
    readUncommitted: false,
    maxBytesPerPartition: FETCH_BYTES,
    maxWaitTimeInMs: 100,
  });
  const read = new Map<string, Read[]>();
  const consumed = new Map<string, bigint>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: TOPICS, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const stuck = setTimeout(() => {
        const progress = [...ends].map(
          ([key, end]) => `${key}: ${consumed.get(key) ?? 'none'} of ${end - 1n}`,
        );
        reject(new Error(`the kafkajs consumer did not reach the end offsets: ${progress.join(', ')}`));
      }, 30_000);
      const check = () => {
        if ([...ends].every(([key, end]) => (consumed.get(key) ?? -1n) >= end - 1n)) {
          clearTimeout(stuck);
          resolve();
        }
      };
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        consumed.set(tp(payload.topic, payload.partition), BigInt(payload.lastOffset));
        check();
      });
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              pushTo(read, tp(batch.topic, batch.partition), { offset: m.offset, value: String(m.value) });
            }
          },
        })
        .catch(reject);
      check();
    });
  } finally {
    await consumer.disconnect();
  }
  return read;
}

/** Every topic from the beginning with Apache Kafka's console consumer, read_committed, until 4 s without records. */
async function readWithJava(): Promise<Map<string, Read[]>> {
  const args = [
    '-cp',
    join(kafkaLibs, '*'),
    'org.apache.kafka.tools.consumer.ConsoleConsumer',
    '--bootstrap-server',
    inject('kafkaBrokers').join(','),
    '--include',
    `^rc-it-${suffix}-.*`,
    '--group',
    JAVA_GROUP,
    '--from-beginning',
    '--timeout-ms',
    '4000',
    '--property',
    'print.partition=true',
    '--property',
    'print.offset=true',
    '--consumer-property',
    'isolation.level=read_committed',
    '--consumer-property',
    `max.partition.fetch.bytes=${FETCH_BYTES}`,
  ];
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>(
    (resolve, reject) => {
      const child = spawn(javaCommand, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (exit) => {
        clearTimeout(timer);
        resolve({ stdout: out, stderr: err, code: exit });
      });
    },
  );
  const read = new Map<string, Read[]>();
  const lines = stdout.split('\n').filter((line) => line !== '');
  for (const line of lines) {
    const match = /^Partition:(\d+)\tOffset:(\d+)\t(([^:]+):.*)$/.exec(line);
    if (match === null) throw new Error(`unexpected console consumer output: ${line}\n${stderr}`);
    const [, partition, offset, value, name] = match;
    pushTo(read, tp(topicOf(name!), Number(partition)), { offset: offset!, value: value! });
  }
  expect(stderr, `console consumer exit ${code}`).toContain(`Processed a total of ${lines.length} messages`);
  return read;
}
