import { loadavg } from 'node:os';
import { Client } from '@elastic/elasticsearch';
import {
  elasticsearchClientOptions,
  elasticsearchConnectionEnv,
  formatUtcDate,
  type ElasticsearchConnectionValues,
} from '@tributary/es-sink';
import type { Admin, Kafka } from '@tributary/kafka';
import { LatencyHistogram, runLoad } from '@tributary/producer';
import { decodeWindowResult, windowDocumentId } from '@tributary/schema';
import { summarize } from '../../histograms/percentiles.js';
import { PollingLoop } from '../../run/polling-loop.js';
import { cleanupApp, processorChildArgs, type ContenderSettings } from './contenders.js';
import { spawnNode, stopChild } from './child-watch.js';

export interface LatencySettings {
  readonly partitions: number;
  /** Events/s of the paced load. */
  readonly rate: number;
  readonly durationMs: number;
  readonly windowSizeMs: number;
  /** B of the job. */
  readonly outOfOrdernessMs: number;
  /** Elasticsearch of the job's connector; none: the job runs with --no-elasticsearch. */
  readonly esConnection: ElasticsearchConnectionValues | undefined;
}

/** p50/p90/p99/max of one leg, ms after windowEnd + B; negative differences (clock skew) counted and clamped. */
export type LegLatency = ReturnType<typeof leg>;

/** One final window result: when its window closed (end + B) and when each leg saw it. */
interface Arrival {
  readonly closeAt: number;
  readonly arrivedAt: number;
  readonly id: string;
  readonly index: string;
  ackAt?: number;
  searchAt?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function leg(values: readonly number[]) {
  const h = new LatencyHistogram();
  for (const v of values) h.recordMs(v);
  const s = summarize(h);
  return {
    count: s.count,
    p50Ms: s.p50,
    p90Ms: s.p90,
    p99Ms: s.p99,
    maxMs: s.max,
    negativesClampedToZero: h.clampedLow,
  };
}

/**
 * Elasticsearch legs: every 200 ms a realtime `_mget` of the connector's document ids (acknowledged: indexed, not
 * necessarily refreshed), then an `ids` query on the alias (searchable: after a refresh).
 */
function esPoller(es: Client, alias: string, pendingAck: Map<string, Arrival>): PollingLoop {
  const pendingSearch = new Map<string, Arrival>();
  return new PollingLoop(async () => {
    const ack = [...pendingAck.values()].slice(0, 2000);
    if (ack.length > 0) {
      const { docs } = await es.mget({
        docs: ack.map((e) => ({ _index: e.index, _id: e.id })),
        _source: false,
      });
      const at = Date.now();
      for (const doc of docs) {
        const e = 'found' in doc && doc.found ? pendingAck.get(doc._id) : undefined;
        if (e === undefined) continue;
        pendingAck.delete(doc._id);
        e.ackAt = at;
        pendingSearch.set(e.id, e);
      }
    }
    const search = [...pendingSearch.values()].slice(0, 2000);
    if (search.length > 0) {
      const response = await es.search(
        {
          index: alias,
          size: search.length,
          _source: false,
          query: { ids: { values: search.map((e) => e.id) } },
        },
        { ignore: [404] },
      );
      const at = Date.now();
      for (const hit of response.hits?.hits ?? []) {
        const e = pendingSearch.get(hit._id!);
        if (e === undefined) continue;
        pendingSearch.delete(hit._id!);
        e.searchAt = at;
      }
    }
  }, 200);
}

/**
 * Window-close latency: the clickstream job on a fresh topic, `runLoad` at `rate` with event time = the schedule;
 * a read_committed consumer of the results topic takes the arrival of every final result, latency = arrival −
 * (windowEnd + B); with Elasticsearch, when each result's document was acknowledged and searchable. Only windows
 * closed by data count (windowEnd + B ≤ last event time − 1 s): the last ones close by the idle timeout.
 */
export async function runWindowLatency(
  kafka: Kafka,
  admin: Admin,
  s: ContenderSettings,
  l: LatencySettings,
): Promise<Record<string, unknown>> {
  const appId = `${s.runId}-lat`;
  const topic = `${appId}-input`;
  const B = l.outOfOrdernessMs;
  const connection = l.esConnection;
  const es = connection === undefined ? undefined : new Client(elasticsearchClientOptions(connection));
  const reader = kafka.consumer({ groupId: `${appId}-reader`, readUncommitted: false, maxWaitTimeInMs: 100 });
  const arrivals: Arrival[] = [];
  const pendingAck = new Map<string, Arrival>();
  const poller = es === undefined ? undefined : esPoller(es, appId, pendingAck);
  let results = 0;
  let handle: ReturnType<typeof spawnNode> | undefined;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: l.partitions, replicationFactor: 1 }],
    });
    const output = connection === undefined ? ['--no-elasticsearch'] : ['--index-prefix', appId];
    handle = spawnNode(
      processorChildArgs(s, 'clickstream', appId, topic, 'exactly-once', [
        ...['--window-size-ms', String(l.windowSizeMs), '--out-of-orderness-ms', String(B)],
        ...output,
      ]),
      s.nodeFlags,
      // The Elasticsearch connection travels in the environment: no credential on a command line.
      connection === undefined ? process.env : elasticsearchConnectionEnv(connection, process.env),
    );
    // Wait until the job has joined and created its results topic.
    for (const readyBy = Date.now() + 120_000; ; await sleep(250)) {
      if (handle.child.exitCode !== null)
        throw new Error(`processor exited: ${handle.output().stderr.slice(-2000)}`);
      if (Date.now() > readyBy) throw new Error('processor did not become ready within 120 s');
      const [group] = (await admin.describeGroups([appId])).groups;
      if ((await admin.listTopics()).includes(`${appId}-results`) && group?.state === 'Stable') break;
    }
    await reader.connect();
    await reader.subscribe({ topics: [`${appId}-results`], fromBeginning: true });
    await reader.run({
      eachBatch: async ({ batch }) => {
        const arrivedAt = Date.now();
        for (const m of batch.messages) {
          const r = decodeWindowResult(m.value!);
          results += 1;
          if (!r.isFinal) continue;
          const index = `${appId}-${formatUtcDate(new Date(r.windowStart), 'yyyy.MM.dd')}`;
          const e: Arrival = {
            closeAt: r.windowEnd + B,
            arrivedAt,
            id: windowDocumentId(r.pageUrl, r.windowStart),
            index,
          };
          arrivals.push(e);
          if (es !== undefined) pendingAck.set(e.id, e);
        }
      },
    });
    poller?.start();
    s.log(
      `latency run: ${l.rate} ev/s for ${l.durationMs / 1000} s, ${l.windowSizeMs / 1000} s windows, B = ${B} ms, ES ${es === undefined ? 'off' : 'on'}`,
    );
    const loadStart = Date.now();
    const report = await runLoad({
      brokers: [...s.brokers],
      topic,
      createTopic: false,
      partitions: l.partitions,
      rate: l.rate,
      durationMs: l.durationMs,
      compression: 'lz4',
      windowSizeMs: l.windowSizeMs,
      outOfOrdernessMs: B,
      eventTimeOriginMs: loadStart,
    });
    // The merge watermark is the minimum over the partitions; the last window closed by data ends at or before it.
    const includeUntil = loadStart + l.durationMs - 1000;
    const expected = report.manifest.windows.filter((w) => w.windowEnd + B <= includeUntil).length;
    s.log(`latency run: load done (${report.summary.split(',')[0]}); waiting for ${expected} final results`);
    const counted = (): Arrival[] => arrivals.filter((e) => e.closeAt <= includeUntil);
    for (const waitBy = Date.now() + 60_000; Date.now() < waitBy; await sleep(500)) {
      const got = counted();
      if (got.length >= expected && (es === undefined || got.every((e) => e.searchAt !== undefined))) break;
    }
    await poller?.stop();
    const got = counted();
    // Per window: when its first and last final result became readable (a window's results share transactions).
    const perWindow = new Map<
      number,
      { windowEnd: number; results: number; firstMs: number; lastMs: number }
    >();
    for (const e of got) {
      const w = perWindow.get(e.closeAt) ?? {
        windowEnd: e.closeAt - B,
        results: 0,
        firstMs: Infinity,
        lastMs: 0,
      };
      w.results += 1;
      w.firstMs = Math.min(w.firstMs, e.arrivedAt - e.closeAt);
      w.lastMs = Math.max(w.lastMs, e.arrivedAt - e.closeAt);
      perWindow.set(e.closeAt, w);
    }
    const after = (f: (e: Arrival) => number | undefined): number[] =>
      got.flatMap((e) => (f(e) === undefined ? [] : [f(e)! - e.closeAt]));
    const kafkaCommitted = leg(after((e) => e.arrivedAt));
    const esLegs =
      es === undefined
        ? {}
        : { esAcknowledged: leg(after((e) => e.ackAt)), esSearchable: leg(after((e) => e.searchAt)) };
    s.log(
      `window-close latency (end + B → readable in ${appId}-results): p50 ${kafkaCommitted.p50Ms} ms, ` +
        `p99 ${kafkaCommitted.p99Ms} ms over ${got.length}/${expected} final results in ${perWindow.size} windows`,
    );
    return {
      rate: l.rate,
      durationMs: l.durationMs,
      windowSizeMs: l.windowSizeMs,
      outOfOrdernessMs: B,
      produced: report.sent,
      // Event time = intended send time, so the producer's delay until Kafka has an event is part of the latency.
      producerAckLatency: { p50Ms: report.latency.p50Ms, p99Ms: report.latency.p99Ms },
      resultsRead: results,
      expectedFinalResults: expected,
      finalResultsMeasured: got.length,
      windowsMeasured: perWindow.size,
      perWindow: [...perWindow.values()].sort((a, b) => a.windowEnd - b.windowEnd),
      kafkaCommitted,
      ...esLegs,
      loadavg1: Number(loadavg()[0]!.toFixed(1)),
    };
  } finally {
    await poller?.stop();
    await reader.disconnect().catch(() => undefined);
    if (handle !== undefined) await stopChild(handle);
    await admin.deleteGroups([`${appId}-reader`]).catch(() => undefined);
    await cleanupApp(admin, appId);
    if (es !== undefined) {
      await es.indices.delete({ index: `${appId}-*` }, { ignore: [404] }).catch(() => undefined);
      await es.indices.deleteIndexTemplate({ name: appId }, { ignore: [404] }).catch(() => undefined);
      await es.close();
    }
  }
}
