import { Client } from '@elastic/elasticsearch';
import { BulkSink, elasticsearchClientOptions } from '@tributary/es-sink';
import { WINDOW_DOCUMENT_MAPPINGS, type WindowDocument } from '@tributary/schema';
import { registerLz4Codec } from '@tributary/kafka';
import { runLoad } from '@tributary/producer';
import { createKafkaClient } from '@tributary/kafka';
import { InvalidOptionError } from '../errors.js';
import type { Figure, RunResult } from '../report/results.js';
import { windowResultDoc, windowResultId } from './dashboard-queries.js';
import {
  kafkaToolsLibsDir,
  parseConsumerPerformance,
  parseProducerPerformance,
  runKafkaTool,
} from './kafka-perf-tools.js';
import { figuresRun, scenarioRunId, type ScenarioContext } from './scenario-run.js';

export interface PeersWorkload {
  /** Records each producer sends and each consumer reads. */
  readonly records: number;
  /** ProducerPerformance --record-size; our generated events average about 91 B. */
  readonly recordSize: number;
  readonly partitions: number;
  /** Documents each bulk writer indexes. */
  readonly documents: number;
}

export const PEERS_WORKLOAD_DEFAULTS: PeersWorkload = {
  records: 50_000,
  recordSize: 90,
  partitions: 4,
  documents: 10_000,
};

export function resolvePeersWorkload(input: Partial<PeersWorkload> = {}): PeersWorkload {
  const w = { ...PEERS_WORKLOAD_DEFAULTS, ...input };
  for (const key of ['records', 'recordSize', 'partitions', 'documents'] as const) {
    if (!Number.isSafeInteger(w[key]) || w[key] < 1) {
      throw new InvalidOptionError(key, 'must be a positive integer', w[key]);
    }
  }
  return w;
}

/** ours / peer, null when either was not measured (or the peer measured 0). */
export function peerRatio(ours: number | null, peer: number | null): number | null {
  if (ours === null || peer === null || peer <= 0) return null;
  return ours / peer;
}

/** Three figures per comparison: the peer, ours, and the ratio ours/peer (higher is better for throughput). */
export function comparisonFigures(
  name: string,
  unit: string,
  peer: { readonly label: string; readonly value: number | null },
  ours: { readonly label: string; readonly value: number | null },
  note: string,
): Figure[] {
  return [
    { name: `peers.${name}.${peer.label}`, unit, value: peer.value },
    { name: `peers.${name}.${ours.label}`, unit, value: ours.value },
    {
      name: `peers.${name}.ratio`,
      unit: '×',
      value: peerRatio(ours.value, peer.value),
      note: `${ours.label} / ${peer.label}; ${note}`,
    },
  ];
}

/** A raw kafkajs consumer (new group, from the beginning): messages/s from joining the group to the last message. */
async function kafkajsConsume(
  ctx: ScenarioContext,
  topic: string,
  group: string,
  count: number,
): Promise<number> {
  registerLz4Codec();
  const client = createKafkaClient({
    clientId: group,
    brokers: [...ctx.brokers],
    ...ctx.kafkaSecurity?.client,
  });
  const consumer = client.consumer({
    groupId: group,
    maxBytesPerPartition: 1024 * 1024,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    let started = performance.now();
    consumer.on(consumer.events.GROUP_JOIN, () => (started = performance.now()));
    let ended = 0;
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= count && ended === 0) {
          ended = performance.now();
          resolveDone();
        }
      },
    });
    const timeout = new Promise<void>((_, reject) =>
      setTimeout(
        () => reject(new Error(`kafkajs consumer read ${seen} of ${count} in 120 s`)),
        120_000,
      ).unref(),
    );
    await Promise.race([done, timeout]);
    return (count * 1000) / (ended - started);
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

async function bulkWriters(
  es: Client,
  prefix: string,
  documents: number,
  order: readonly ('helper' | 'sink')[],
): Promise<{ helper: number | null; sink: number | null }> {
  const now = Date.now();
  const docs = Array.from({ length: documents }, (_, i) =>
    windowResultDoc(i, now, 500, 1 + Math.floor(i / 500)),
  );
  const out: { helper: number | null; sink: number | null } = { helper: null, sink: null };
  for (const who of order) {
    const index = `${prefix}-${who}`;
    await es.indices.create({
      index,
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: WINDOW_DOCUMENT_MAPPINGS,
    });
    try {
      const t0 = performance.now();
      if (who === 'helper') {
        const result = await es.helpers.bulk<WindowDocument>({
          datasource: docs,
          onDocument: (d) => ({ index: { _index: index, _id: windowResultId(d) } }),
          flushBytes: 5 * 1024 * 1024,
          concurrency: 2,
        });
        out.helper = result.failed === 0 ? (documents * 1000) / (performance.now() - t0) : null;
      } else {
        let failed = 0;
        const sink = new BulkSink<WindowDocument>({
          client: es,
          index,
          idKey: windowResultId,
          concurrency: 2,
          onDeadLetter: () => void failed++,
        });
        for (const d of docs) await sink.write(d);
        await sink.close();
        out.sink = failed === 0 ? (documents * 1000) / (performance.now() - t0) : null;
      }
    } finally {
      await es.indices.delete({ index }, { ignore: [404] }).catch(() => undefined);
    }
  }
  return out;
}

/**
 * `peers`: side by side in one run, as ratios ours / peer. Kafka's ProducerPerformance against our producer
 * (`runLoad`, unthrottled, acks=all, LZ4, same count, ~90 B records); Kafka's ConsumerPerformance against a raw
 * kafkajs consumer reading the same topic; `client.helpers.bulk` against BulkSink on the same documents (both with
 * the defaults of their libraries except concurrency 2). The order alternates by run number.
 */
export async function runPeersOnce(
  ctx: ScenarioContext,
  workload: Partial<PeersWorkload> = {},
): Promise<RunResult> {
  const w = resolvePeersWorkload(workload);
  const id = scenarioRunId('peers');
  const startedAt = new Date().toISOString();
  const kafka = createKafkaClient({ clientId: id, brokers: [...ctx.brokers], ...ctx.kafkaSecurity?.client });
  const admin = kafka.admin();
  const es = new Client(elasticsearchClientOptions(ctx.esConnection));
  const topics = { java: `${id}-java`, ours: `${id}-ours` };
  // Kafka's perf tools are not given the TLS/SASL settings: with them, only our side runs.
  const secured = ctx.kafkaSecurity?.client.ssl !== undefined || ctx.kafkaSecurity?.client.sasl !== undefined;
  const libs = secured ? undefined : kafkaToolsLibsDir();
  const figures: Figure[] = [];
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: Object.values(topics).map((topic) => ({
        topic,
        numPartitions: w.partitions,
        replicationFactor: 1,
      })),
    });
    const bootstrap = ctx.brokers.join(',');
    let javaProduce: number | null = null;
    let javaConsume: number | null = null;
    const missing = secured
      ? "Kafka's perf tools run without TLS/SASL: skipped"
      : libs === undefined
        ? 'kafka-tools jars not found in the devstack cache'
        : '';
    const runJavaProducer = async (): Promise<void> => {
      if (libs === undefined) return;
      ctx.log(`peers run ${ctx.run}: Kafka ProducerPerformance, ${w.records} records of ${w.recordSize} B`);
      const out = await runKafkaTool(libs, 'org.apache.kafka.tools.ProducerPerformance', [
        '--topic',
        topics.java,
        '--num-records',
        String(w.records),
        '--record-size',
        String(w.recordSize),
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${bootstrap}`,
        'acks=all',
        'compression.type=lz4',
      ]);
      javaProduce = parseProducerPerformance(out).recordsPerSec;
    };
    let oursProduce: number | null = null;
    const runOurProducer = async (): Promise<void> => {
      ctx.log(`peers run ${ctx.run}: @tributary/producer runLoad, ${w.records} records`);
      const report = await runLoad({
        brokers: [...ctx.brokers],
        ...ctx.kafkaSecurity?.options,
        topic: topics.ours,
        partitions: w.partitions,
        createTopic: false,
        rate: 0,
        count: w.records,
        compression: 'lz4',
        progressIntervalMs: 0,
      });
      oursProduce = report.failed === 0 ? report.recordsPerSec : null;
    };
    const produceOrder =
      ctx.run % 2 === 1 ? [runJavaProducer, runOurProducer] : [runOurProducer, runJavaProducer];
    for (const step of produceOrder) await step();
    figures.push(
      ...comparisonFigures(
        'producer',
        'records/s',
        { label: 'kafka-producer-perf', value: javaProduce },
        { label: 'tributary', value: oursProduce },
        `acks=all, lz4, ${w.records} records, unthrottled${missing === '' ? '' : `; ${missing}`}`,
      ),
    );

    // Both consumers read the topic ProducerPerformance wrote (ours when kafka-tools is missing).
    const readTopic = libs === undefined ? topics.ours : topics.java;
    const runJavaConsumer = async (): Promise<void> => {
      if (libs === undefined) return;
      ctx.log(`peers run ${ctx.run}: Kafka ConsumerPerformance, ${w.records} messages`);
      const out = await runKafkaTool(libs, 'org.apache.kafka.tools.ConsumerPerformance', [
        '--bootstrap-server',
        bootstrap,
        '--topic',
        readTopic,
        '--messages',
        String(w.records),
        '--group',
        `${id}-java-consumer`,
        '--timeout',
        '60000',
      ]);
      javaConsume = parseConsumerPerformance(out).fetchMessagesPerSec;
    };
    let oursConsume: number | null = null;
    const runOurConsumer = async (): Promise<void> => {
      ctx.log(`peers run ${ctx.run}: raw kafkajs consumer, ${w.records} messages`);
      oursConsume = await kafkajsConsume(ctx, readTopic, `${id}-kafkajs-consumer`, w.records);
    };
    const consumeOrder =
      ctx.run % 2 === 1 ? [runJavaConsumer, runOurConsumer] : [runOurConsumer, runJavaConsumer];
    for (const step of consumeOrder) await step();
    figures.push(
      ...comparisonFigures(
        'consumer',
        'msgs/s',
        { label: 'kafka-consumer-perf', value: javaConsume },
        { label: 'kafkajs', value: oursConsume },
        `same topic, new group, after the group join (ConsumerPerformance fetch.nMsg.sec)${missing === '' ? '' : `; ${missing}`}`,
      ),
    );

    ctx.log(`peers run ${ctx.run}: client.helpers.bulk vs BulkSink, ${w.documents} documents each (${id})`);
    const bulk = await bulkWriters(
      es,
      id,
      w.documents,
      ctx.run % 2 === 1 ? ['helper', 'sink'] : ['sink', 'helper'],
    );
    figures.push(
      ...comparisonFigures(
        'bulk',
        'docs/s',
        { label: 'helpers-bulk', value: bulk.helper },
        { label: 'bulk-sink', value: bulk.sink },
        `${w.documents} window result documents, concurrency 2, fresh index each`,
      ),
    );
    return figuresRun(ctx.run, startedAt, figures);
  } finally {
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    for (const g of [`${id}-java-consumer`, `${id}-kafkajs-consumer`])
      await admin.deleteGroups([g]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await es.close().catch(() => undefined);
  }
}
