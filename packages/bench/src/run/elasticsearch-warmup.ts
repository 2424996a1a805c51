import type { Client } from '@elastic/elasticsearch';
import { WINDOW_DOCUMENT_MAPPINGS, windowDocumentId, windowResultToJSON } from '@tributary/schema';

/** How much indexing warms Elasticsearch's bulk path before a measured run. */
export interface ElasticsearchWarmupOptions {
  /** Scratch index (created, written and deleted). */
  readonly index: string;
  readonly bulks: number;
  readonly documentsPerBulk: number;
}

export const ELASTICSEARCH_WARMUP_DEFAULTS = { bulks: 30, documentsPerBulk: 500 } as const;

/** The sentence the table's results carry in their method. */
export const ELASTICSEARCH_WARMUP_METHOD =
  `Before each table run Elasticsearch's bulk path is warmed with ${ELASTICSEARCH_WARMUP_DEFAULTS.bulks} bulks of ` +
  `${ELASTICSEARCH_WARMUP_DEFAULTS.documentsPerBulk} window documents (external versions, as the results path ` +
  'writes them) in a scratch index that is then deleted, as the warm-up period warms the processor and Kafka: ' +
  'otherwise the first window results measure a just-started Elasticsearch.';

/**
 * Warms a just-started Elasticsearch's bulk path (its JIT, the external-version lookup) the way the warm-up period
 * warms the processor and Kafka: window documents with external versions, as the results path writes them, in bulks
 * of a window's size, into a scratch index deleted afterwards. Without it the first window results of a run — in the
 * low-latency mode without raw events, the first thing Elasticsearch indexes at all — measure Elasticsearch's start
 * (on the 2-core machine the first 455-document bulk into an already created index took 1.46 s on a just-started
 * node, and 20–60 ms warm). Returns the documents Elasticsearch accepted.
 */
export async function warmElasticsearch(es: Client, options: ElasticsearchWarmupOptions): Promise<number> {
  const { index, bulks, documentsPerBulk } = options;
  await es.indices.create({
    index,
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: WINDOW_DOCUMENT_MAPPINGS,
  });
  let written = 0;
  try {
    for (let bulk = 0; bulk < bulks; bulk++) {
      const windowStart = bulk * 10_000;
      const operations: object[] = [];
      for (let page = 0; page < documentsPerBulk; page++) {
        const pageUrl = `https://warmup.invalid/p/${page}`;
        operations.push(
          {
            index: {
              _index: index,
              _id: windowDocumentId(pageUrl, windowStart),
              version: 1,
              version_type: 'external',
            },
          },
          windowResultToJSON({
            pageUrl,
            windowStart,
            windowEnd: windowStart + 10_000,
            clickCount: page % 7,
            viewCount: page % 31,
            isFinal: true,
            version: 1,
          }),
        );
      }
      const response = await es.bulk({ operations });
      for (const item of response.items) if ((item.index?.status ?? 500) < 300) written++;
    }
  } finally {
    await es.indices.delete({ index, ignore_unavailable: true });
  }
  return written;
}
