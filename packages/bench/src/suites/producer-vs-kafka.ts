import { cpus, loadavg } from 'node:os';
import { createKafkaClient, KafkaCompressionType, type Admin } from '@tributary/kafka';
import { option, z } from '@tributary/options';
import * as producer from '@tributary/producer';
import { InvalidOptionError } from '../errors.js';
import { ResourceSampler } from '../resources/resource-sampler.js';
import {
  kafkaToolsLibsDir,
  parseProducerPerformance,
  runKafkaTool,
  type ProducerPerformanceSummary,
} from '../scenarios/kafka-perf-tools.js';
import { cpuSecondsSince } from './cpu-rounds.js';
import { BASELINE, BROKERS, count, resultsFile } from './common-options.js';
import { importBaseline } from './baseline.js';
import { markdownTable, writeJsonFile } from './output.js';
import { defineSuite } from './suite.js';

type RunLoad = typeof producer.runLoad;

/** What one contender achieved in one round; CPU time: ours of this process, Kafka's of the JVM (from /proc). */
export type ProduceFigures = ProducerPerformanceSummary & { readonly cpuSeconds: number };

export interface ProduceRound {
  readonly round: number;
  readonly order: readonly string[];
  readonly loadAverage1m: number;
  readonly results: Readonly<Record<string, ProduceFigures>>;
  /** records/s of each of ours / Kafka's. */
  readonly ratios: Readonly<Record<string, number>>;
}

/** Ours, each a variant of `runLoad` (or kafkajs alone); 'baseline' runs when `--baseline` is given. */
const VARIANTS = {
  ours: { label: 'tributary (defaults)', load: {} },
  single: { label: 'tributary (senderThreads 0)', load: { senderThreads: 0 } },
  threads1: { label: 'tributary (senderThreads 1)', load: { senderThreads: 1 } },
  threads2: { label: 'tributary (senderThreads 2)', load: { senderThreads: 2 } },
  headers: { label: 'tributary (headers)', load: { recordHeaders: true } },
  producers: { label: 'tributary (4 producers)', load: { producers: 4 } },
  kafkajs: { label: 'kafkajs alone (pre-built)', load: undefined },
  baseline: { label: 'tributary (baseline build)', load: {} },
} as const;
type Variant = keyof typeof VARIANTS;
const CHOICES = ['ours', 'single', 'threads1', 'threads2', 'headers', 'producers', 'kafkajs'] as const;
const KAFKA = 'kafka ProducerPerformance';

/** The table of every round: rate and CPU µs per record of each contender, and each of ours / Kafka's. */
export function renderProduceTable(rounds: readonly ProduceRound[], variants: readonly Variant[]): string {
  const cell = (f: ProduceFigures): string =>
    `${Math.round(f.recordsPerSec)} (${((f.cpuSeconds * 1e6) / f.records).toFixed(1)})`;
  const table = markdownTable(
    [
      'round',
      'load',
      'Kafka rec/s (CPU µs/rec)',
      ...variants.flatMap((v) => [`${VARIANTS[v].label} rec/s (CPU µs/rec)`, 'ratio']),
    ],
    rounds.map((r) => [
      String(r.round),
      r.loadAverage1m.toFixed(1),
      cell(r.results[KAFKA]!),
      ...variants.flatMap((v) => [cell(r.results[v]!), r.ratios[v]!.toFixed(2)]),
    ]),
  );
  const summary = variants.map((v) => {
    const all = rounds.map((r) => r.ratios[v]!);
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    return `ratio ${VARIANTS[v].label} / Kafka: mean ${mean.toFixed(2)} (min ${Math.min(...all).toFixed(2)}, max ${Math.max(...all).toFixed(2)})`;
  });
  return [table, '', ...summary].join('\n');
}

/** Creates the topic and waits until every partition has a leader that answers for its offsets. */
async function createTopic(admin: Admin, topic: string, partitions: number): Promise<void> {
  await admin.createTopics({
    waitForLeaders: false,
    topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const found = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
      if (found.length === partitions && found.every((p) => p.leader >= 0)) {
        await admin.fetchTopicOffsets(topic);
        return;
      }
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || attempt >= 100) throw error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const producerVsKafkaSuite = defineSuite({
  name: 'producer-vs-kafka',
  summary:
    "@tributary/producer's sustained produce rate against Kafka's own ProducerPerformance, same broker",
  needs: 'Kafka',
  description:
    "Each round, into fresh topics: Kafka's ProducerPerformance and each variant of ours, the same record count;\n" +
    'rec/s, CPU µs per record, the ratio ours / Kafka. What is and is not measured: packages/producer/bench/README.md.',
  options: {
    brokers: BROKERS,
    count: count(500_000, 'records per contender and round'),
    runs: count(1, 'rounds'),
    partitions: count(4, 'partitions of each (fresh) topic'),
    recordSize: count(90, 'ProducerPerformance --record-size (our mean encoded event is ~91 B)'),
    kafkaLibs: option(z.string().min(1).optional(), 'directory of the kafka-tools jars', {
      env: 'TRIBUTARY_KAFKA_LIBS',
      placeholder: '<dir>',
      defaultText: "the devstack's Kafka libs",
    }),
    variants: option(
      z.array(z.enum(CHOICES)).min(1).default(['ours', 'headers', 'producers', 'kafkajs']),
      'which of ours run, in this order: ours = runLoad defaults; single/threads1/threads2 = senderThreads ' +
        '0/1/2; headers = recordHeaders; producers = 4 producers; kafkajs = kafkajs alone sending pre-built records',
    ),
    baseline: BASELINE,
    out: resultsFile('producer-vs-kafka'),
  },
  async run(o, context) {
    const libs = o.kafkaLibs ?? kafkaToolsLibsDir();
    if (libs === undefined)
      throw new InvalidOptionError('--kafka-libs', 'is needed: the devstack has not downloaded Kafka yet');
    const baselineLoad =
      o.baseline === undefined
        ? undefined
        : (await importBaseline<typeof producer>(o.baseline, 'producer')).runLoad;
    const variants: Variant[] = [...o.variants, ...(baselineLoad === undefined ? [] : ['baseline' as const])];

    const ours = async (topic: string, variant: Variant, load: RunLoad): Promise<ProduceFigures> => {
      const before = process.cpuUsage();
      const report = await load({
        brokers: o.brokers,
        topic,
        partitions: o.partitions,
        rate: 0,
        count: o.count,
        compression: 'lz4',
        progressIntervalMs: 0,
        ...VARIANTS[variant].load,
      });
      if (report.failed > 0)
        throw new Error(`${variant}: ${report.failed} records failed: ${report.errors.join('; ')}`);
      return { ...parseProducerPerformance(report.summary), cpuSeconds: cpuSecondsSince(before) };
    };

    /** kafkajs alone: an idempotent acks=all LZ4 producer sending pre-built records, 4000 a batch, 2 sends in flight. */
    const kafkajsAlone = async (topic: string): Promise<ProduceFigures> => {
      const client = createKafkaClient({ clientId: 'tributary-bench-raw', brokers: o.brokers });
      const kafka = client.producer({ idempotent: true, maxInFlightRequests: 1 });
      await kafka.connect();
      const batch = 4000;
      const messages = Array.from({ length: batch }, (_, i) => {
        const value = Buffer.alloc(o.recordSize);
        for (let k = 0; k < o.recordSize; k++) value[k] = 65 + Math.floor(Math.random() * 26);
        return { key: `u${String(i % 10_000).padStart(4, '0')}`, value, partition: i % o.partitions };
      });
      const latency = new producer.LatencyHistogram();
      const inflight = new Set<Promise<void>>();
      const before = process.cpuUsage();
      const start = performance.now();
      try {
        for (let sent = 0; sent < o.count;) {
          while (inflight.size >= 2) await Promise.race(inflight);
          const n = Math.min(batch, o.count - sent);
          const t0 = performance.now();
          const send: Promise<void> = kafka
            .send({
              topic,
              messages: n === batch ? messages : messages.slice(0, n),
              acks: -1,
              compression: KafkaCompressionType.LZ4,
            })
            .then(() => {
              const ms = performance.now() - t0;
              for (let i = 0; i < n; i++) latency.recordMs(ms);
              inflight.delete(send);
            });
          inflight.add(send);
          sent += n;
        }
        await Promise.all(inflight);
      } finally {
        await kafka.disconnect();
      }
      const elapsedMs = performance.now() - start;
      const bytes = o.count * o.recordSize;
      const summary = producer.formatPerfSummary({ records: o.count, bytes, elapsedMs }, latency.summary());
      return { ...parseProducerPerformance(summary), cpuSeconds: cpuSecondsSince(before) };
    };

    const kafkaTool = async (topic: string): Promise<ProduceFigures> => {
      let jvm: { sampler: ResourceSampler; started: Promise<void> } | undefined;
      const output = await runKafkaTool(
        libs,
        'org.apache.kafka.tools.ProducerPerformance',
        ['--topic', topic, '--num-records', String(o.count), '--record-size', String(o.recordSize)]
          .concat(['--throughput', '-1', '--producer-props', `bootstrap.servers=${o.brokers.join(',')}`])
          .concat(['acks=all', 'compression.type=lz4']),
        3_600_000,
        (pid) => {
          const sampler = new ResourceSampler({
            intervalMs: 100,
            self: false,
            targets: [{ component: 'jvm', pid }],
          });
          jvm = { sampler, started: sampler.start({ timer: true }) };
        },
      );
      await jvm?.started;
      await jvm?.sampler.stop();
      // The JVM's user + system time, all threads, at the last sample before it exited (≈: misses ≤ 100 ms).
      return {
        ...parseProducerPerformance(output),
        cpuSeconds: (jvm?.sampler.latest('jvm')?.cpuMs ?? Number.NaN) / 1000,
      };
    };

    const run = (name: string, topic: string): Promise<ProduceFigures> =>
      name === KAFKA
        ? kafkaTool(topic)
        : name === 'kafkajs'
          ? kafkajsAlone(topic)
          : ours(topic, name as Variant, name === 'baseline' ? baselineLoad! : producer.runLoad);

    const admin = createKafkaClient({ clientId: 'tributary-bench', brokers: o.brokers }).admin();
    await admin.connect();
    const created: string[] = [];
    const rounds: ProduceRound[] = [];
    try {
      for (let round = 1; round <= o.runs; round++) {
        const suffix = `${Date.now().toString(36)}-${round}`;
        const order = round % 2 === 1 ? [KAFKA, ...variants] : [...variants, KAFKA];
        const loadAverage1m = loadavg()[0]!;
        const results: Record<string, ProduceFigures & { loadAverage1mAfter: number }> = {};
        for (const name of order) {
          const topic = `bench-${name === KAFKA ? 'java' : name}-${suffix}`;
          await createTopic(admin, topic, o.partitions);
          created.push(topic);
          results[name] = { ...(await run(name, topic)), loadAverage1mAfter: loadavg()[0]! };
          const label = name === KAFKA ? KAFKA : VARIANTS[name as Variant].label;
          context.log(`round ${round} ${label.padEnd(27)} ${results[name].summary}`);
        }
        const ratios = Object.fromEntries(
          variants.map((v) => [v, results[v]!.recordsPerSec / results[KAFKA]!.recordsPerSec]),
        );
        rounds.push({ round, order, loadAverage1m, results, ratios });
        await writeJsonFile(o.out, {
          date: new Date().toISOString(),
          environment: {
            node: process.version,
            cpus: cpus().length,
            cpuModel: cpus()[0]?.model,
            brokers: o.brokers,
          },
          workload: {
            count: o.count,
            partitions: o.partitions,
            recordSize: o.recordSize,
            acks: 'all',
            compression: 'lz4',
          },
          variants,
          baseline: o.baseline,
          rounds,
        });
      }
    } finally {
      await admin.deleteTopics({ topics: created, timeout: 30_000 }).catch(() => undefined);
      await admin.disconnect();
    }
    context.print(`${renderProduceTable(rounds, variants)}\nresults in ${o.out}`);
  },
});
