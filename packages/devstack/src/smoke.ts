import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { Client } from '@elastic/elasticsearch';
import { createKafkaClient } from '@tributary/kafka';
import { option, z, type OptionInput } from '@tributary/options';
import { startDevstack } from './devstack.js';
import { DEVSTACK_ERROR_CODES, DevstackError } from './errors.js';
import { DEVSTACK_OPTIONS } from './options.js';

/** Options of {@link runSmoke}: the devstack options plus the size of the run. */
export const SMOKE_OPTIONS = DEVSTACK_OPTIONS.extend({
  /** Events produced, consumed and indexed. @defaultValue `10000` */
  events: option(z.int().min(1).default(10_000), '(smoke) events to push through', { env: false }),
  /** Partitions of the smoke topic. @defaultValue `3` */
  partitions: option(z.int().min(1).default(3), '(smoke) partitions of the smoke topic', { env: false }),
  /** Time allowed to consume every event back. @defaultValue `120000` */
  consumeTimeoutMs: option(z.int().min(1).default(120_000), '(smoke) time to consume every event back', {
    flag: false,
    env: false,
  }),
});

export type SmokeOptions = OptionInput<typeof SMOKE_OPTIONS.specs>;

const KINDS = ['click', 'view', 'purchase'] as const;

interface SmokeEvent {
  id: number;
  kind: (typeof KINDS)[number];
  user: string;
  ts: number;
  value: number;
}

/** What a smoke run measured. `ok` is true only when every count matches. */
export interface SmokeReport {
  ok: boolean;
  events: number;
  startup: {
    kafka: { startupMs: number; reused: boolean; version: string };
    elasticsearch: { startupMs: number; reused: boolean; version: string };
  };
  produce: { ms: number; perSecond: number };
  consume: { ms: number; perSecond: number; received: number };
  index: { ms: number; perSecond: number; indexed: number; failed: number };
  search: { count: number; medianMs: number; maxMs: number; runs: number };
  aggregation: { expected: Record<string, number>; actual: Record<string, number> };
  mismatches: string[];
}

const rate = (count: number, ms: number): number => Math.round((count / Math.max(ms, 1)) * 1000);

/**
 * End-to-end check of a devstack: starts (or reuses) it, creates a topic, produces `events` small JSON events with
 * kafkajs, consumes them back, bulk-indexes them into Elasticsearch, refreshes, counts, searches and aggregates.
 * Stops the stack only if it started it; removes its topic and index.
 */
export async function runSmoke(options: SmokeOptions = {}): Promise<SmokeReport> {
  const {
    events: total,
    partitions,
    consumeTimeoutMs,
    ...devstackOptions
  } = SMOKE_OPTIONS.resolve({ ...options, services: ['kafka', 'elasticsearch'] });
  const { log } = devstackOptions;
  const stack = await startDevstack(devstackOptions);
  const suffix = randomBytes(4).toString('hex');
  const topic = `tributary-smoke-${suffix}`;
  const index = `tributary-smoke-${suffix}`;
  const kafkaHandle = stack.kafka!;
  const esHandle = stack.elasticsearch!;
  const kafka = createKafkaClient({ clientId: 'tributary-smoke', brokers: kafkaHandle.brokers });
  const admin = kafka.admin();
  const security = esHandle.security;
  const es = new Client({
    node: esHandle.url,
    ...(security === undefined
      ? {}
      : {
          auth: { username: security.username, password: security.password },
          tls: { ca: await readFile(security.caFile, 'utf8') },
        }),
  });
  try {
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    log(`[smoke] topic ${topic} created with ${partitions} partitions`);

    const base = Date.now();
    const events: SmokeEvent[] = Array.from({ length: total }, (_, i) => ({
      id: i,
      kind: KINDS[i % KINDS.length]!,
      user: `user-${i % 97}`,
      ts: base + i,
      value: i % 1000,
    }));

    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const produceStart = performance.now();
    for (let i = 0; i < total; i += 1000) {
      const messages = events.slice(i, i + 1000).map((e) => ({ key: e.user, value: JSON.stringify(e) }));
      await producer.send({ topic, acks: -1, messages });
    }
    const produceMs = performance.now() - produceStart;
    await producer.disconnect();
    log(`[smoke] produced ${total} events in ${Math.round(produceMs)} ms (${rate(total, produceMs)}/s)`);

    const received = new Map<number, SmokeEvent>();
    const consumer = kafka.consumer({ groupId: `tributary-smoke-${suffix}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const consumeStart = performance.now();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new DevstackError(
            DEVSTACK_ERROR_CODES.SMOKE_FAILED,
            `Consumed ${received.size} of ${total} events in ${consumeTimeoutMs} ms. Fix: check the Kafka logs (tributary-devstack logs).`,
          ),
        );
      }, consumeTimeoutMs);
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              const event = JSON.parse(message.value?.toString() ?? 'null') as SmokeEvent;
              received.set(event.id, event);
            }
            if (received.size >= total) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error as Error);
        });
    });
    const consumeMs = performance.now() - consumeStart;
    await consumer.disconnect();
    log(
      `[smoke] consumed ${received.size} events in ${Math.round(consumeMs)} ms (${rate(received.size, consumeMs)}/s)`,
    );

    await es.indices.create({
      index,
      settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '-1' },
      mappings: {
        properties: {
          id: { type: 'long' },
          kind: { type: 'keyword' },
          user: { type: 'keyword' },
          ts: { type: 'date' },
          value: { type: 'long' },
        },
      },
    });
    const indexStart = performance.now();
    const bulk = await es.helpers.bulk<SmokeEvent>({
      datasource: [...received.values()],
      onDocument: (doc) => ({ index: { _index: index, _id: String(doc.id) } }),
      flushBytes: 1_000_000,
      concurrency: 2,
    });
    await es.indices.refresh({ index });
    const indexMs = performance.now() - indexStart;
    log(
      `[smoke] indexed ${bulk.successful} documents in ${Math.round(indexMs)} ms (${rate(bulk.successful, indexMs)}/s)`,
    );

    const { count } = await es.count({ index });
    const latencies: number[] = [];
    for (let run = 0; run < 20; run++) {
      const started = performance.now();
      await es.search({ index, size: 10, query: { term: { kind: KINDS[run % KINDS.length] } } });
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    const aggregation = await es.search<
      unknown,
      { kinds: { buckets: { key: string; doc_count: number }[] } }
    >({
      index,
      size: 0,
      aggs: { kinds: { terms: { field: 'kind', size: 10 } } },
    });
    const actual = Object.fromEntries(
      (aggregation.aggregations?.kinds.buckets ?? []).map((b) => [b.key, b.doc_count]),
    );
    const expected: Record<string, number> = {};
    for (const e of events) expected[e.kind] = (expected[e.kind] ?? 0) + 1;

    const mismatches: string[] = [];
    if (received.size !== total) mismatches.push(`consumed ${received.size} of ${total}`);
    if (bulk.successful !== total)
      mismatches.push(`indexed ${bulk.successful} of ${total} (${bulk.failed} failed)`);
    if (count !== total) mismatches.push(`count ${count} != ${total}`);
    for (const kind of KINDS) {
      if (actual[kind] !== expected[kind])
        mismatches.push(`terms ${kind}: ${actual[kind] ?? 0} != ${expected[kind] ?? 0}`);
    }
    const report: SmokeReport = {
      ok: mismatches.length === 0,
      events: total,
      startup: {
        kafka: { startupMs: kafkaHandle.startupMs, reused: kafkaHandle.reused, version: kafkaHandle.version },
        elasticsearch: { startupMs: esHandle.startupMs, reused: esHandle.reused, version: esHandle.version },
      },
      produce: { ms: Math.round(produceMs), perSecond: rate(total, produceMs) },
      consume: {
        ms: Math.round(consumeMs),
        perSecond: rate(received.size, consumeMs),
        received: received.size,
      },
      index: {
        ms: Math.round(indexMs),
        perSecond: rate(bulk.successful, indexMs),
        indexed: bulk.successful,
        failed: bulk.failed,
      },
      search: {
        count,
        medianMs: Math.round(latencies[Math.floor(latencies.length / 2)]! * 10) / 10,
        maxMs: Math.round(latencies[latencies.length - 1]! * 10) / 10,
        runs: latencies.length,
      },
      aggregation: { expected, actual },
      mismatches,
    };
    log(
      `[smoke] count ${count}, terms ${JSON.stringify(actual)}, search median ${report.search.medianMs} ms`,
    );
    return report;
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await es.indices.delete({ index }, { ignore: [404] }).catch(() => undefined);
    await es.close().catch(() => undefined);
    await stack.stop();
  }
}
