import { Client } from '@elastic/elasticsearch';
import * as esSink from '@tributary/es-sink';
import { option, z } from '@tributary/options';
import { LatencyHistogram } from '@tributary/producer';
import { median } from '../report/aggregate.js';
import { BASELINE, count, resultsFile } from './common-options.js';
import { importBaseline } from './baseline.js';
import { cpuSecondsSince } from './cpu-rounds.js';
import { markdownTable, times, writeJsonFile } from './output.js';
import { defineSuite } from './suite.js';

interface Doc {
  readonly id: string;
  readonly doc: Readonly<Record<string, unknown>>;
}

/** One contender's run: indexing every document into a fresh index. */
export interface BulkRun {
  readonly docsPerSecond: number;
  readonly cpuUsPerDoc: number;
  readonly ok: number;
  readonly failed: number;
  /** Of the `_bulk` requests, request → response. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
}

const CONTENDERS = ['helper', 'sink', 'baseline'] as const;
type Contender = (typeof CONTENDERS)[number];
const LABELS: Record<Contender, string> = {
  helper: 'helpers.bulk',
  sink: 'BulkSink',
  baseline: 'BulkSink (baseline)',
};

const PAGES = Array.from({ length: 500 }, (_, i) => `https://shop.example.com/product/${i}`);
const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'JP', 'BR', 'IN'];
const DEVICES = ['mobile', 'desktop', 'tablet'];
const DAY = Date.UTC(2026, 10, 22);

const WORKLOADS = {
  /** Window results as the connector writes them (7 fields), id = page|window. */
  'window-results': (n: number): Doc[] =>
    Array.from({ length: n }, (_, i) => {
      const page = PAGES[i % PAGES.length]!;
      const w = Math.floor(i / PAGES.length);
      return {
        id: `${page}|${w}`,
        doc: {
          page_url: page,
          window_start: DAY + w * 60_000,
          window_end: DAY + (w + 1) * 60_000,
          click_count: i % 97,
          view_count: i % 389,
          is_final: true,
          version: 1,
        },
      };
    }),
  /** Enriched raw clickstream events (11 fields, ~450 B), unique ids. */
  'enriched-events': (n: number, runId: string): Doc[] =>
    Array.from({ length: n }, (_, i) => ({
      id: `evt-${runId}-${i}`,
      doc: {
        event_id: `evt-${runId}-${i}`,
        user_id: `user-${i % 10_000}`,
        session_id: `sess-${i % 3000}`,
        page_url: PAGES[i % PAGES.length],
        event_type: i % 4 === 0 ? 'CLICK' : 'VIEW',
        timestamp: DAY + i * 7,
        referrer: i % 3 === 0 ? 'https://www.google.com/' : '',
        user_agent:
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
        device: DEVICES[i % DEVICES.length],
        country: COUNTRIES[i % COUNTRIES.length],
        page_category: `category-${i % 40}`,
      },
    })),
} as const;
type Workload = keyof typeof WORKLOADS;

/** A client whose `_bulk` requests are timed from request to response (the same probe for every contender). */
function timedClient(connection: esSink.ElasticsearchConnection, histogram: LatencyHistogram): Client {
  const client = new Client({ ...connection, maxRetries: 0, requestTimeout: 60_000 });
  const started = new Map<unknown, number>();
  client.diagnostic.on('request', (_error, result) => {
    if (result?.meta.request.params.path === '/_bulk') started.set(result.meta.request.id, performance.now());
  });
  client.diagnostic.on('response', (_error, result) => {
    const t0 = started.get(result?.meta.request.id);
    if (t0 === undefined) return;
    started.delete(result?.meta.request.id);
    histogram.recordMs(performance.now() - t0);
  });
  return client;
}

/** Median (min–max) docs/s per contender, BulkSink's ratios paired run by run, p99 bulk latency, client CPU. */
export function renderBulkTable(
  workloads: Readonly<Record<string, Partial<Record<Contender, readonly BulkRun[]>>>>,
): string {
  const withBaseline = Object.values(workloads).some((w) => w.baseline !== undefined);
  const contenders = CONTENDERS.filter((c) => c !== 'baseline' || withBaseline);
  const others = contenders.filter((c) => c !== 'sink');
  const who = contenders.map((c) => LABELS[c]).join(' / ');
  return markdownTable(
    [
      'workload',
      ...contenders.map((c) => `${LABELS[c]} docs/s median (min–max)`),
      ...others.map((c) => `BulkSink / ${LABELS[c]} (median paired)`),
      `p99 bulk ms ${who}`,
      `client CPU µs/doc ${who}`,
    ],
    Object.entries(workloads).map(([name, runs]) => {
      const of = (c: Contender): readonly BulkRun[] => runs[c] ?? [];
      const spread = (c: Contender): string => {
        const all = of(c).map((r) => Math.round(r.docsPerSecond));
        return all.length === 0 ? '–' : `${median(all)} (${Math.min(...all)}–${Math.max(...all)})`;
      };
      const paired = (c: Contender): string =>
        of(c).length === 0
          ? '–'
          : times(median(of('sink').map((r, i) => r.docsPerSecond / of(c)[i]!.docsPerSecond)));
      const per = (f: (r: BulkRun) => number): string =>
        contenders.map((c) => (of(c).length === 0 ? '–' : median(of(c).map(f)).toFixed(1))).join(' / ');
      return [
        `${name} (${of('sink').length} runs)`,
        ...contenders.map(spread),
        ...others.map(paired),
        per((r) => r.p99Ms),
        per((r) => r.cpuUsPerDoc),
      ];
    }),
  );
}

export const esSinkVsHelperSuite = defineSuite({
  name: 'es-sink-vs-helper',
  summary:
    'BulkSink against the elasticsearch-js bulk helper on the same documents, docs/s on a real Elasticsearch',
  needs: 'Elasticsearch',
  description:
    'The same documents into fresh indices, alternating which goes first: docs/s, the ratio paired run by run, p99\n' +
    'of the _bulk requests, client CPU per document. What is and is not measured: packages/es-sink/bench/README.md.',
  options: {
    ...esSink.ELASTICSEARCH_CONNECTION_OPTION_SPECS,
    docs: count(20_000, 'documents per contender and run'),
    runs: count(3, 'runs per workload'),
    flushBytes: count(1024 * 1024, 'flushBytes of both'),
    concurrency: count(2, 'concurrent bulk requests of both'),
    workloads: option(
      z
        .array(z.enum(['window-results', 'enriched-events']))
        .min(1)
        .default(['window-results', 'enriched-events']),
      "window-results: the connector's 7-field documents, id = page|window; enriched-events: 11 fields, unique ids",
    ),
    baseline: BASELINE,
    out: resultsFile('es-sink-vs-helper'),
  },
  check: (o, fail) => void esSink.elasticsearchClientOptions(o, fail),
  async run(o, context) {
    const runId = Math.random().toString(36).slice(2, 8);
    const BaselineSink =
      o.baseline === undefined
        ? undefined
        : (await importBaseline<typeof esSink>(o.baseline, 'es-sink')).BulkSink;
    const connection = esSink.elasticsearchClientOptions(o);
    const admin = new Client(connection);

    const index = async (who: Contender, name: string, docs: readonly Doc[]): Promise<BulkRun> => {
      await admin.indices.create({
        index: name,
        settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '30s' },
      });
      const histogram = new LatencyHistogram();
      const client = timedClient(connection, histogram);
      const before = process.cpuUsage();
      const t0 = performance.now();
      let ok: number;
      let failed = 0;
      if (who === 'helper') {
        const result = await client.helpers.bulk({
          datasource: [...docs],
          onDocument: (d) => [{ index: { _index: name, _id: d.id } }, d.doc],
          flushBytes: o.flushBytes,
          flushInterval: 30_000,
          concurrency: o.concurrency,
          retries: 3,
          wait: 5000,
          onDrop: () => undefined,
        });
        ok = result.successful;
        failed = result.failed;
      } else {
        const Sink = who === 'baseline' ? BaselineSink! : esSink.BulkSink;
        const sink = new Sink({
          client,
          index: name,
          flushBytes: o.flushBytes,
          // The helper's memory bound: the requests in flight plus the one being filled.
          flushDocs: 100_000,
          maxBufferedDocs: 100_000,
          maxBufferedBytes: (o.concurrency + 1) * o.flushBytes,
          flushIntervalMs: 30_000,
          concurrency: o.concurrency,
          onDeadLetter: () => void failed++,
        });
        for (const d of docs) await sink.write(d.doc, { id: d.id });
        await sink.close();
        ok = sink.stats.successful;
      }
      const seconds = (performance.now() - t0) / 1000;
      const cpuUsPerDoc = (cpuSecondsSince(before) * 1e6) / docs.length;
      await client.close();
      await admin.indices.delete({ index: name }, { ignore: [404] });
      const latency = histogram.summary();
      return {
        docsPerSecond: docs.length / seconds,
        cpuUsPerDoc,
        ok,
        failed,
        p50Ms: latency.p50Ms,
        p99Ms: latency.p99Ms,
        requests: latency.count,
      };
    };

    const contenders = CONTENDERS.filter((c) => c !== 'baseline' || BaselineSink !== undefined);
    const workloads: Record<string, Partial<Record<Contender, BulkRun[]>>> = {};
    try {
      for (const name of o.workloads as Workload[]) {
        const docs = WORKLOADS[name](o.docs, runId);
        const runs: Partial<Record<Contender, BulkRun[]>> = {};
        workloads[name] = runs;
        await index('sink', `bench-es-sink-warm-${runId}-${name}`, docs.slice(0, 2000)); // warm-up, not reported
        for (let r = 0; r < o.runs; r++) {
          // Alternate the order so no contender always runs on a warmer cluster.
          for (const who of r % 2 === 0 ? contenders : [...contenders].reverse()) {
            const result = await index(who, `bench-es-sink-${runId}-${name}-${who}-${r}`, docs);
            (runs[who] ??= []).push(result);
            context.log(
              `${name} run ${r + 1} ${LABELS[who]}: ${Math.round(result.docsPerSecond)} docs/s, p99 bulk ${result.p99Ms.toFixed(1)} ms, ok ${result.ok}, failed ${result.failed}`,
            );
          }
        }
      }
    } finally {
      const leftovers = await admin.cat
        .indices({ index: `bench-es-sink-*${runId}*`, format: 'json' })
        .catch(() => []);
      for (const { index } of leftovers)
        if (index !== undefined)
          await admin.indices.delete({ index }, { ignore: [404] }).catch(() => undefined);
      await admin.close();
    }
    await writeJsonFile(o.out, {
      environment: {
        node: process.version,
        esUrl: esSink.describeNodes(o),
        docs: o.docs,
        runs: o.runs,
        flushBytes: o.flushBytes,
        concurrency: o.concurrency,
        baseline: o.baseline,
        date: new Date().toISOString(),
      },
      workloads,
    });
    context.print(`${renderBulkTable(workloads)}\nresults in ${o.out}`);
  },
});
