import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { WINDOW_DOCUMENT_MAPPINGS } from '@tributary/schema';
import { describe, expect, inject, it } from 'vitest';
import { SearchablePoller } from '../../src/run/searchable-poller.js';
import { WindowTracker } from '../../src/run/window-tracker.js';

describe('SearchablePoller against the real Elasticsearch', () => {
  it('pages past one search page and reports only final documents', async () => {
    const es = new Client({ node: inject('elasticsearchUrl') });
    const index = `bench-poller-${randomBytes(4).toString('hex')}`;
    try {
      await es.indices.create({
        index,
        mappings: WINDOW_DOCUMENT_MAPPINGS,
      });
      const tracker = new WindowTracker({ outOfOrdernessMs: 0 });
      const poller = new SearchablePoller(es, index, tracker, 100);
      await poller.pollOnce(); // empty index: nothing, no error
      expect(tracker.searchableWindows).toBe(0);

      // 5 003 final windows (more than one 5 000-document page) and 10 non-final ones.
      const docs = Array.from({ length: 5013 }, (_, i) => ({
        page_url: `/p/${i % 1000}`,
        window_start: 1_000 * Math.floor(i / 1000),
        window_end: 1_000 * Math.floor(i / 1000) + 1_000,
        click_count: 1,
        view_count: 2,
        is_final: i < 5003,
      }));
      const bulk = await es.bulk({
        refresh: true,
        operations: docs.flatMap((d) => [{ index: { _index: index } }, d]),
      });
      expect(bulk.errors).toBe(false);

      await poller.pollOnce();
      expect(tracker.searchableWindows).toBe(5003);
      expect(poller.polls).toBe(2);
    } finally {
      await es.indices.delete({ index, ignore_unavailable: true });
      await es.close();
    }
  });
});
