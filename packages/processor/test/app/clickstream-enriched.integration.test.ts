import { ClickstreamGenerator, GroundTruthAccumulator, Verdicts } from '@tributary/producer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createClickstreamApp } from '../../src/app/clickstream.js';
import { CLICKSTREAM_RULES as RULES } from '../helpers/clickstream-rules.js';
import { testProcessorConfig } from '../helpers/clickstream-config.js';
import { useClickstreamSuite } from '../helpers/clickstream-suite.js';
import { toInputMessages } from '../helpers/clickstream-topics.js';
import { deleteIndices, elasticsearchClient } from '../helpers/elasticsearch.js';

const brokers = inject('kafkaBrokers');
const esUrl = inject('elasticsearchUrl');
const PARTITIONS = 2;
const EVENTS = 600;
const PAGES = 8;

const es = elasticsearchClient(esUrl);

async function until(predicate: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 300));
  }
}

interface EventDoc {
  event_id: string;
  page_url: string;
  user_id: string;
  timestamp: number;
  category: string | null;
  segment: string | null;
}

describe('tributary-processor clickstream --enriched-events', () => {
  const suite = useClickstreamSuite(brokers, 'enr', PARTITIONS, (s) =>
    [`${s}-app1`, `${s}-app2`].flatMap((a) => [a, `${a}-merge`, `${a}-elasticsearch-events`]),
  );
  const { harness, suffix } = suite;
  const topics = {
    ...suite.topics,
    enrichedTopic: `${suffix}-enriched`,
    pagesTopic: `${suffix}-pages`,
    usersTopic: `${suffix}-users`,
  };
  const eventsIndexPrefix = `${suffix}-events-idx`;
  const apps = [`${suffix}-app1`, `${suffix}-app2`];

  beforeAll(async () => {
    await harness.createTopic(topics.pagesTopic, 2, { compacted: true });
    await harness.createTopic(topics.usersTopic, 2, { compacted: true });
  });

  afterAll(async () => {
    await deleteIndices(es, eventsIndexPrefix);
  });

  it('indexes exactly the accepted events, each joined with its category; a second run adds no document', async () => {
    const generator = new ClickstreamGenerator({
      ...RULES,
      seed: 11,
      partitions: PARTITIONS,
      eventsPerSecond: 5,
      pages: PAGES,
      users: 40,
      outOfOrderRate: 0.05,
      lateRate: 0.03,
      duplicateRate: 0.05,
      malformedRate: 0.03,
    });
    const records = generator.take(EVENTS);
    // Ground truth per event: which ones the contract accepts.
    const truth = new GroundTruthAccumulator({ ...RULES, partitions: PARTITIONS });
    const acceptedEvents = records.filter(
      (r) => truth.add({ partition: r.partition, value: r.value }) === Verdicts.ACCEPTED,
    );
    expect(truth.totals.duplicates).toBeGreaterThan(0);
    expect(truth.totals.late).toBeGreaterThan(0);
    expect(acceptedEvents.every((r) => r.event.eventId !== '')).toBe(true);

    // Reference data: an update (/products/1) and a tombstone (/products/2) in the compacted topic.
    const category = (url: string): string | null =>
      url === '/products/1' ? 'updated' : url === '/products/2' ? null : `cat-${url.length % 3}-${url}`;
    const pages = Array.from({ length: PAGES }, (_, i) => `/products/${i + 1}`);
    await harness.produce(topics.pagesTopic, [
      ...pages.map((url) => ({
        key: url,
        value: JSON.stringify({ category: `cat-${url.length % 3}-${url}` }),
      })),
      { key: '/products/1', value: JSON.stringify({ category: 'updated' }) },
      { key: '/products/2', value: null },
    ]);
    const users = [...new Set(records.map((r) => r.event.userId))].slice(0, 10);
    await harness.produce(
      topics.usersTopic,
      users.map((u) => ({ key: u, value: JSON.stringify({ segment: `seg-${u}` }) })),
    );
    await harness.produce(topics.inputTopic, toInputMessages(records));

    const configFor = (applicationId: string) =>
      testProcessorConfig({
        ...topics,
        applicationId,
        brokers,
        esUrl,
        indexPrefix: `${suffix}-metrics-idx`,
        eventsIndexPrefix,
        enrichedEvents: true,
      });
    const expectedIds = new Set(acceptedEvents.map((r) => r.event.eventId));
    const checkDoc = (doc: EventDoc): void => {
      expect(doc.category).toBe(category(doc.page_url));
      expect(doc.segment).toBe(users.includes(doc.user_id) ? `seg-${doc.user_id}` : null);
    };
    const searchAll = async (): Promise<
      { _id: string; _index: string; _version: number; _source: EventDoc }[]
    > => {
      await es(`/${eventsIndexPrefix}/_refresh`, { method: 'POST' });
      const body = (await es(`/${eventsIndexPrefix}/_search?size=10000&version=true`)) as {
        hits?: { hits: { _id: string; _index: string; _version: number; _source: EventDoc }[] };
      };
      return body.hits?.hits ?? [];
    };

    const run1Versions = new Map<string, number>();
    // Run 1: the tables are loaded before stage 1 takes its first record.
    const app1 = createClickstreamApp(configFor(apps[0]!));
    const enriched = harness.tail(topics.enrichedTopic);
    await app1.start();
    try {
      expect(app1.tables!.pages.lookup('/products/1')).toEqual({ category: 'updated' });
      expect(app1.tables!.pages.lookup('/products/2')).toBeUndefined();
      expect(app1.tables!.users.size).toBe(users.length);
      expect(app1.job.tableStats()['pages']).toMatchObject({ loaded: true, loadedRecords: PAGES + 2 });

      await enriched.start();
      await enriched.waitFor((r) => r.length >= expectedIds.size, 60_000);
      await new Promise((r) => setTimeout(r, 1_000)); // anything extra would show up now
      expect(enriched.records).toHaveLength(expectedIds.size);
      expect(new Set(enriched.records.map((r) => r.key))).toEqual(expectedIds);
      for (const r of enriched.records) checkDoc(JSON.parse(r.value!.toString()) as EventDoc);

      let hits: Awaited<ReturnType<typeof searchAll>> = [];
      await until(async () => (hits = await searchAll()).length >= expectedIds.size, 60_000);
      expect(hits).toHaveLength(expectedIds.size);
      expect(new Set(hits.map((h) => h._id))).toEqual(expectedIds);
      for (const h of hits) run1Versions.set(h._id, h._version);
      for (const h of hits) {
        checkDoc(h._source);
        const day = new Date(h._source.timestamp).toISOString().slice(0, 10).replaceAll('-', '.');
        expect(h._index).toBe(`${eventsIndexPrefix}-${day}`);
      }
      const mapping = (await es(`/${eventsIndexPrefix}/_mapping`)) as Record<
        string,
        { mappings: { properties: Record<string, { type: string }> } }
      >;
      const props = Object.values(mapping)[0]!.mappings.properties;
      expect([props['page_url']?.type, props['category']?.type, props['timestamp']?.type]).toEqual([
        'keyword',
        'keyword',
        'date',
      ]);

      // The table keeps following its topic while the job runs.
      await harness.produce(topics.pagesTopic, [
        { key: '/products/3', value: JSON.stringify({ category: 'live' }) },
      ]);
      await until(() => app1.tables!.pages.lookup('/products/3')?.category === 'live', 20_000);
      expect(app1.tables!.pages.lookup('/products/3')).toEqual({ category: 'live' });
    } finally {
      await app1.stop();
    }

    // Run 2 over the same input with fresh state: the same events are written again (higher offsets), and
    // indexed with the same _id — the document count does not change.
    const app2 = createClickstreamApp(configFor(apps[1]!));
    await app2.start();
    try {
      // The events connector of run 2 reads the whole enriched topic: run 1's records, then run 2's.
      const connector = app2.eventsConnector!;
      await until(
        () => connector.stats.consumed >= 2 * expectedIds.size && connector.stats.pending === 0,
        60_000,
      );
      expect({ consumed: connector.stats.consumed, pending: connector.stats.pending }).toEqual({
        consumed: 2 * expectedIds.size,
        pending: 0,
      });
      const hits = await searchAll();
      expect(hits).toHaveLength(expectedIds.size);
      expect(new Set(hits.map((h) => h._id))).toEqual(expectedIds);
      // Every document was overwritten by run 2's copy (a higher offset = a higher external version).
      expect(hits.filter((h) => h._version <= run1Versions.get(h._id)!)).toEqual([]);
    } finally {
      await app2.stop();
    }
  });
});
