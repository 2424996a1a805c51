import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { KafkaEsConnector } from '@tributary/es-sink';
import { countAggregator } from '../../src/aggregate/builtins.js';
import { streamJob } from '../../src/dsl/stream-job.js';
import { table } from '../../src/dsl/table.js';
import { session, tumbling } from '../../src/dsl/windows.js';
import type { ElasticsearchSinkOptions } from '../../src/dsl/elasticsearch-sink.js';
import type { StreamJobSettings } from '../../src/dsl/logical-plan.js';
import { BROKERS, clickCodec } from './fixtures.js';

const settings: StreamJobSettings = { applicationId: 'app', brokers: BROKERS };
const es = { node: 'http://127.0.0.1:9200', index: 'page-counts' } satisfies ElasticsearchSinkOptions;

/** Counts per page (two stages), written with the default encoder to `page-counts`. */
function pageCounts(jobSettings: StreamJobSettings = settings) {
  return streamJob(jobSettings)
    .source('clicks', clickCodec, { partitionedBy: 'user' })
    .keyBy('page')
    .window(tumbling({ size: '1m' }))
    .aggregate(countAggregator());
}

function joined() {
  const job = streamJob(settings);
  return job
    .source('clicks', clickCodec)
    .join(
      job.source('orders', clickCodec),
      { leftKey: 'user', rightKey: 'user', between: { lower: 0, upper: '10m' } },
      (click, order) => ({ pair: `${click.id}>${order.id}`, at: order.ts }),
    )
    .to('pairs');
}

function thrown(fn: () => unknown): {
  code: string | undefined;
  option: string | undefined;
  message: string;
} {
  try {
    fn();
  } catch (error) {
    const e = error as { code?: string; option?: string; message: string };
    return { code: e.code, option: e.option, message: e.message };
  }
  throw new Error('did not throw');
}

/** The connector the job's service creates (not started: no connection is made), with `registry`. */
function connectorOf(plan: ReturnType<ReturnType<typeof pageCounts>['to']>, registry?: Registry) {
  const services = plan.toStreamJobOptions().services ?? [];
  expect(services.map((s) => s.name)).toEqual(['elasticsearch']);
  return services[0]!.create({ registry }) as KafkaEsConnector;
}

describe('StreamPlan.toElasticsearch: validation at build time', () => {
  it.each([
    [{ ...es, node: 'not a url' }, 'toElasticsearch.node', /must be an http\(s\) URL/],
    [{ ...es, node: 'ftp://es:21' }, 'toElasticsearch.node', /must use http: or https:/],
    [{ index: 'x' }, 'toElasticsearch.node', /is required when client is not given/],
    [{ ...es, index: '' }, 'toElasticsearch.index', /must be an index name/],
    [{ ...es, index: 'Page-Counts' }, 'toElasticsearch.index', /lowercase/],
    [{ ...es, index: 'counts-{yyyy.QQ}' }, 'toElasticsearch.index', /may contain only yyyy, MM, dd/],
    [{ ...es, flushDocs: 0 }, 'toElasticsearch.flushDocs', /must be >= 1|too small/i],
    [{ ...es, lowWaterMark: 9_000 }, 'toElasticsearch.lowWaterMark', /below highWaterMark/],
    [{ ...es, deadLetterTopic: 'bad topic' }, 'toElasticsearch.deadLetterTopic', /Kafka topic name/],
    [{ ...es, deadLetterTopic: 'page-counts' }, 'toElasticsearch.deadLetterTopic', /must differ from topic/],
    [{ ...es, flushDoc: 5 } as ElasticsearchSinkOptions, 'toElasticsearch.flushDoc', /is not an option/],
    [{ ...es, topic: 'other' } as ElasticsearchSinkOptions, 'toElasticsearch.topic', /is set by the job/],
    [{ ...es, brokers: ['x:1'] } as ElasticsearchSinkOptions, 'toElasticsearch.brokers', /is set by the job/],
  ])('%# fails naming the option', (options, option, message) => {
    const error = thrown(() => pageCounts().to('page-counts').toElasticsearch(options));
    expect(error).toMatchObject({ code: 'TRIB_PROC_INVALID_OPTION', option });
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`${option} `)).toBe(true);
  });

  it('fails on options that are not an object', () => {
    expect(
      thrown(() =>
        pageCounts()
          .to('page-counts')
          .toElasticsearch(null as never),
      ),
    ).toMatchObject({
      code: 'TRIB_PROC_INVALID_OPTION',
      option: 'toElasticsearch',
    });
  });

  it('needs the id field of results it cannot identify itself: a custom encoder, a join, format json', () => {
    const encoded = () =>
      pageCounts()
        .to('page-counts', (r) => ({
          key: null,
          value: Buffer.from(JSON.stringify({ page: r.key, n: r.result })),
        }))
        .toElasticsearch(es);
    expect(thrown(encoded)).toMatchObject({ option: 'toElasticsearch.idField' });
    expect(thrown(encoded).message).toMatch(/custom encoder/);
    expect(thrown(() => joined().toElasticsearch(es)).message).toMatch(
      /^toElasticsearch.idField is required: a join/,
    );
    expect(
      thrown(() =>
        pageCounts()
          .to('page-counts')
          .toElasticsearch({ ...es, format: 'json' }),
      ),
    ).toMatchObject({
      option: 'toElasticsearch.idField',
    });
    expect(() => joined().toElasticsearch({ ...es, idField: 'pair' })).not.toThrow();
    expect(() =>
      pageCounts()
        .to('page-counts', (r) => ({ key: null, value: Buffer.from(String(r.result)) }))
        .toElasticsearch({ ...es, format: 'window-result' }),
    ).not.toThrow();
  });

  it('needs the date field of a date pattern when the documents have no known one', () => {
    expect(
      thrown(() => joined().toElasticsearch({ ...es, idField: 'pair', index: 'pairs-{yyyy.MM.dd}' })),
    ).toMatchObject({ option: 'toElasticsearch.indexDateField' });
    expect(() =>
      joined().toElasticsearch({ ...es, idField: 'pair', index: 'pairs-{yyyy.MM.dd}', indexDateField: 'at' }),
    ).not.toThrow();
    expect(() =>
      pageCounts()
        .to('page-counts')
        .toElasticsearch({ ...es, index: 'counts-{yyyy.MM}' }),
    ).not.toThrow();
  });

  it('keeps its group and dead-letter topic off the stages and topics of the job', () => {
    const perUser = () =>
      streamJob(settings)
        .source('clicks', clickCodec, { partitionedBy: 'user' })
        .keyBy('user')
        .window(session({ gap: '30s' }))
        .aggregate(countAggregator())
        .to('sessions');
    const job = streamJob(settings);
    const clicks = job.source('clicks', clickCodec, { partitionedBy: 'user' });
    const perPage = clicks
      .keyBy('page')
      .window(tumbling({ size: '1m' }))
      .aggregate(countAggregator());
    const sessions = clicks
      .keyBy('user')
      .window(session({ gap: '30s' }))
      .aggregate(countAggregator())
      .to('s');
    // A stage named `elasticsearch` has the sink's default group, whichever comes first.
    expect(
      thrown(() => perPage.to('page-counts').toElasticsearch(es).alongside('elasticsearch', sessions)),
    ).toMatchObject({
      option: 'toElasticsearch.groupId',
      message: expect.stringMatching(/app-elasticsearch/),
    });
    expect(
      thrown(() => perPage.to('page-counts').alongside('elasticsearch', sessions).toElasticsearch(es)),
    ).toMatchObject({ option: 'toElasticsearch.groupId' });
    expect(() =>
      perPage
        .to('page-counts')
        .alongside('elasticsearch', sessions)
        .toElasticsearch({ ...es, groupId: 'indexer' }),
    ).not.toThrow();
    expect(thrown(() => perUser().toElasticsearch({ ...es, groupId: 'app' }))).toMatchObject({
      option: 'toElasticsearch.groupId',
    });
    for (const topic of ['clicks', 'app-repartition', 'pages'])
      expect(
        thrown(() =>
          pageCounts()
            .to('page-counts')
            .toElasticsearch({ ...es, deadLetterTopic: topic })
            .alongside(
              'enriched',
              clicks
                .enrich(
                  table<{ c: string }>('pages', { name: 'pages' }),
                  (e) => e.page,
                  (e) => e,
                )
                .keyBy('user', { inputPartitioned: true })
                .window(tumbling({ size: '1m' }))
                .aggregate(countAggregator())
                .to('enriched-counts'),
            ),
        ),
        topic,
      ).toMatchObject({ option: 'toElasticsearch.deadLetterTopic' });
  });

  it('may appear once, on the main pipeline only', () => {
    const job = streamJob(settings);
    const clicks = job.source('clicks', clickCodec, { partitionedBy: 'user' });
    const perPage = clicks
      .keyBy('page')
      .window(tumbling({ size: '1m' }))
      .aggregate(countAggregator());
    const perUser = clicks
      .keyBy('user')
      .window(session({ gap: '30s' }))
      .aggregate(countAggregator());
    expect(thrown(() => perPage.to('p').toElasticsearch(es).toElasticsearch(es))).toMatchObject({
      option: 'toElasticsearch',
      message: 'toElasticsearch may appear once per job',
    });
    expect(
      thrown(() => perPage.to('p').alongside('users', perUser.to('u').toElasticsearch(es))),
    ).toMatchObject({
      option: 'alongside.users',
    });
    // The sink stays on the plan through alongside.
    expect(perPage.to('p').toElasticsearch(es).alongside('users', perUser.to('u')).explain()).toMatch(
      /; results to Elasticsearch/,
    );
  });
});

describe('StreamPlan.toElasticsearch: the connector it runs', () => {
  it('indexes the results topic in group ${applicationId}-elasticsearch, dead letters to ${applicationId}-index-dlq', async () => {
    const registry = new Registry();
    const plan = pageCounts({ ...settings, sessionTimeoutMs: 45_000, replicationFactor: 3 })
      .to('page-counts')
      .toElasticsearch({ ...es, index: 'counts-{yyyy.MM.dd}' });
    expect(plan.explain()).toMatch(
      /; results to Elasticsearch http:\/\/127\.0\.0\.1:9200 index counts-\{yyyy\.MM\.dd\} \(window results as JSON, id of key and windowStart, external version; group app-elasticsearch, dead letters to app-index-dlq\)$/,
    );
    const connector = connectorOf(plan, registry);
    try {
      expect(connector.deadLetterTopic).toBe('app-index-dlq');
      expect(connector.health()).toMatchObject({ live: true, ready: false });
      // Its metrics are on the job's registry.
      expect(registry.getSingleMetric('tributary_es_sink_bulk_duration_seconds')).toBeDefined();
    } finally {
      await connector.stop();
    }
  });

  it('keeps the job settings and the services it was given', () => {
    const own = { name: 'own', create: () => ({}) as never };
    const options = pageCounts({ ...settings, services: [own] })
      .to('page-counts')
      .toElasticsearch({ ...es, deadLetterTopic: false, groupId: 'indexer' })
      .toStreamJobOptions();
    expect(options.services?.map((s) => s.name)).toEqual(['own', 'elasticsearch']);
    expect(pageCounts().to('page-counts').toStreamJobOptions().services).toBeUndefined();
  });

  it('never prints credentials: URL userinfo redacted, auth left out', () => {
    const plan = pageCounts()
      .to('page-counts')
      .toElasticsearch({
        ...es,
        node: ['https://elastic:s3cret-pw@es-1:9200', 'https://es-2:9200'],
        auth: { apiKey: 'top-secret-key' },
      });
    const text = `${plan.explain()} ${JSON.stringify(plan.toStreamJobOptions())}`;
    expect(plan.explain()).toContain('https://***:***@es-1:9200,https://es-2:9200');
    expect(text).not.toContain('s3cret-pw');
    expect(text).not.toContain('top-secret-key');
    const error = thrown(() =>
      pageCounts()
        .to('page-counts')
        .toElasticsearch({ ...es, node: 'https://elastic:s3cret-pw@es 1:9200' }),
    );
    expect(error.option).toBe('toElasticsearch.node');
    expect(error.message).not.toContain('s3cret-pw');
  });
});
