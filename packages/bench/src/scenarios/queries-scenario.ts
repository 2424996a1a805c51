import { Client } from '@elastic/elasticsearch';
import { BulkSink, elasticsearchClientOptions, type ElasticsearchConnection } from '@tributary/es-sink';
import { WINDOW_DOCUMENT_MAPPINGS, type WindowDocument } from '@tributary/schema';
import { InvalidOptionError } from '../errors.js';
import type { Figure, RunResult } from '../report/results.js';
import { clicksVsViewsQuery, topPagesQuery, windowResultDoc, windowResultId } from './dashboard-queries.js';
import { HTTP_LOAD_DEFAULTS, httpLoadFigures, runHttpLoad } from './http-load.js';
import { figuresRun, scenarioRunId, type ScenarioContext } from './scenario-run.js';

export interface QueriesWorkload {
  /** Search requests per second per query (autocannon `overallRate`). */
  readonly queriesPerSec: number;
  /** Load time per query, ms. */
  readonly durationMs: number;
  /** Window result documents per second written by a BulkSink while the queries run. */
  readonly ingestDocsPerSec: number;
  readonly pages: number;
  /** Minutes of history written before the queries start. */
  readonly historyMinutes: number;
  readonly connections: number;
}

export const QUERIES_WORKLOAD_DEFAULTS: QueriesWorkload = {
  queriesPerSec: 50,
  durationMs: 4_000,
  ingestDocsPerSec: 2_000,
  pages: 500,
  historyMinutes: 30,
  connections: 4,
};

export function resolveQueriesWorkload(input: Partial<QueriesWorkload> = {}): QueriesWorkload {
  const w = { ...QUERIES_WORKLOAD_DEFAULTS, ...input };
  for (const key of [
    'queriesPerSec',
    'ingestDocsPerSec',
    'pages',
    'historyMinutes',
    'connections',
  ] as const) {
    if (!Number.isSafeInteger(w[key]) || w[key] < 1) {
      throw new InvalidOptionError(key, 'must be a positive integer', w[key]);
    }
  }
  if (!Number.isFinite(w.durationMs) || w.durationMs < 1000) {
    throw new InvalidOptionError('durationMs', 'must be at least 1000 ms', w.durationMs);
  }
  return w;
}

const QUERIES = [
  ['top-pages', topPagesQuery()],
  ['clicks-vs-views', clicksVsViewsQuery()],
] as const;

/** The Authorization header the client sends for the connection's credentials (autocannon sends it as is). */
export function authorizationHeader(connection: ElasticsearchConnection): string | undefined {
  const auth = connection.auth;
  if (auth === undefined) return undefined;
  return 'apiKey' in auth
    ? `ApiKey ${auth.apiKey}`
    : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/**
 * `queries`: dashboard query latency under ingest. An index of window result documents behind an alias gets
 * `historyMinutes` of history, then a BulkSink keeps writing the current minute's windows at `ingestDocsPerSec`
 * (refresh every 1 s, the default) while autocannon sends each dashboard query to `POST /<alias>/_search` at
 * `queriesPerSec` for `durationMs`, one query after the other.
 */
export async function runQueriesOnce(
  ctx: ScenarioContext,
  workload: Partial<QueriesWorkload> = {},
): Promise<RunResult> {
  const w = resolveQueriesWorkload(workload);
  const id = scenarioRunId('queries');
  const index = `${id}-windows`;
  const alias = `${id}-results`;
  const startedAt = new Date().toISOString();
  const connection = elasticsearchClientOptions(ctx.esConnection);
  const es = new Client(connection);
  let written = 0;
  let failed = 0;
  const sink = new BulkSink<WindowDocument>({
    client: es,
    index: alias,
    idKey: windowResultId,
    flushIntervalMs: 200,
    onDeadLetter: () => void failed++,
  });
  let ingesting = false;
  let ingestLoop: Promise<void> = Promise.resolve();
  try {
    await es.indices.create({
      index,
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: WINDOW_DOCUMENT_MAPPINGS,
      aliases: { [alias]: { is_write_index: true } },
    });
    const now = Date.now();
    for (let m = w.historyMinutes; m >= 1; m--) {
      for (let p = 0; p < w.pages; p++) await sink.write(windowResultDoc(written++, now, w.pages, m));
    }
    await sink.flush();
    await es.indices.refresh({ index });
    ctx.log(
      `queries run ${ctx.run}: ${written} history documents in ${index}; ingesting ${w.ingestDocsPerSec} docs/s`,
    );
    ingesting = true;
    ingestLoop = (async () => {
      const tickMs = 100;
      const perTick = Math.max(1, Math.round((w.ingestDocsPerSec * tickMs) / 1000));
      const started = Date.now();
      let ticks = 0;
      while (ingesting) {
        for (let i = 0; i < perTick; i++) await sink.write(windowResultDoc(written++, Date.now(), w.pages));
        ticks++;
        const wait = started + ticks * tickMs - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();
    const figures: Figure[] = [];
    // autocannon speaks to the first node itself (https without checking the certificate), with the same credentials.
    const url = new URL(`/${alias}/_search`, connection.node[0]).toString();
    const authorization = authorizationHeader(connection);
    for (const [name, query] of QUERIES) {
      ctx.log(`queries run ${ctx.run}: ${name} at ${w.queriesPerSec} req/s for ${w.durationMs} ms`);
      const summary = await runHttpLoad({
        url,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization === undefined ? {} : { authorization }),
        },
        body: JSON.stringify(query),
        ratePerSec: w.queriesPerSec,
        durationMs: w.durationMs,
        connections: w.connections,
        timeoutMs: HTTP_LOAD_DEFAULTS.timeoutMs,
      });
      figures.push(...httpLoadFigures(`queries.${name}`, summary, w.queriesPerSec));
    }
    ingesting = false;
    await ingestLoop;
    await sink.flush();
    ctx.log(`queries run ${ctx.run}: ${written} documents written, ${failed} dead-lettered`);
    figures.push(
      {
        name: 'queries.ingest.documents',
        unit: 'docs',
        value: written,
        note: `history + BulkSink writing ${w.ingestDocsPerSec} docs/s while the queries ran`,
      },
      { name: 'queries.ingest.dead-lettered', unit: 'docs', value: failed },
    );
    return figuresRun(ctx.run, startedAt, figures);
  } finally {
    ingesting = false;
    await ingestLoop.catch(() => undefined);
    await sink.close().catch(() => undefined);
    await es.indices.delete({ index }, { ignore: [404] }).catch(() => undefined);
    await es.close().catch(() => undefined);
  }
}
