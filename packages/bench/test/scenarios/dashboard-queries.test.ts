import { windowDocumentId } from '@tributary/schema';
import { describe, expect, it } from 'vitest';
import {
  clicksVsViewsQuery,
  topPagesQuery,
  windowResultDoc,
  windowResultId,
} from '../../src/scenarios/dashboard-queries.js';

describe('dashboard queries', () => {
  it('top pages: terms on page_url ordered by clicks over a range on window_start', () => {
    const q = topPagesQuery(5, 10) as { query: unknown; aggs: { top_pages: { terms: unknown } } };
    expect(q.query).toEqual({ range: { window_start: { gte: 'now-5m' } } });
    expect(q.aggs.top_pages.terms).toEqual({ field: 'page_url', size: 10, order: { clicks: 'desc' } });
  });

  it('clicks vs views: a one-minute date_histogram with two sums', () => {
    const q = clicksVsViewsQuery(30) as { aggs: { per_minute: { date_histogram: unknown; aggs: unknown } } };
    expect(q.aggs.per_minute.date_histogram).toMatchObject({ field: 'window_start', fixed_interval: '1m' });
    expect(q.aggs.per_minute.aggs).toEqual({
      clicks: { sum: { field: 'click_count' } },
      views: { sum: { field: 'view_count' } },
    });
  });

  it('window documents are per page and minute with deterministic ids', () => {
    const now = Date.UTC(2026, 10, 22, 12, 0, 30);
    const doc = windowResultDoc(501, now, 500, 2);
    expect(doc.page_url).toBe('/products/2');
    expect(doc.window_start).toBe(Date.UTC(2026, 10, 22, 11, 58));
    expect(doc.window_end - doc.window_start).toBe(60_000);
    expect(doc.is_final).toBe(true);
    expect(windowResultDoc(1, now, 500).is_final).toBe(false);
    expect(windowResultId(doc)).toBe(windowDocumentId('/products/2', doc.window_start));
    expect(windowResultId(doc)).not.toBe(windowResultId(windowResultDoc(501, now, 500, 3)));
  });
});
