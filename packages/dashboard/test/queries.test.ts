import { describe, expect, it } from 'vitest';
import { clicksVsViewsQuery, readClicksVsViews, readTopPages, topPagesQuery } from '../src/queries.js';

describe('dashboard queries', () => {
  it('top pages: terms on page_url ordered by summed clicks over the last N minutes of window_start', () => {
    expect(topPagesQuery(15, 3)).toEqual({
      size: 0,
      track_total_hits: false,
      query: { range: { window_start: { gte: 'now-15m' } } },
      aggs: {
        top_pages: {
          terms: { field: 'page_url', size: 3, order: { clicks: 'desc' } },
          aggs: { clicks: { sum: { field: 'click_count' } }, views: { sum: { field: 'view_count' } } },
        },
      },
    });
    expect(topPagesQuery()).toMatchObject({ query: { range: { window_start: { gte: 'now-5m' } } } });
  });

  it('clicks vs views: a one-minute date_histogram with the two sums over the last N minutes', () => {
    expect(clicksVsViewsQuery(60)).toEqual({
      size: 0,
      track_total_hits: false,
      query: { range: { window_start: { gte: 'now-60m' } } },
      aggs: {
        per_minute: {
          date_histogram: { field: 'window_start', fixed_interval: '1m', min_doc_count: 0 },
          aggs: { clicks: { sum: { field: 'click_count' } }, views: { sum: { field: 'view_count' } } },
        },
      },
    });
  });

  it('reads the top-pages answer in order, with 0 for a missing sum', () => {
    const answer = {
      aggregations: {
        top_pages: {
          buckets: [
            { key: '/a', doc_count: 2, clicks: { value: 9 }, views: { value: 30 } },
            { key: '/b', doc_count: 1, clicks: { value: 4 }, views: { value: null } },
          ],
        },
      },
    };
    expect(readTopPages(answer)).toEqual([
      { pageUrl: '/a', clicks: 9, views: 30 },
      { pageUrl: '/b', clicks: 4, views: 0 },
    ]);
  });

  it('reads the per-minute answer oldest first', () => {
    const t = Date.UTC(2026, 10, 22, 12, 0);
    const answer = {
      aggregations: {
        per_minute: {
          buckets: [
            { key: t + 60_000, key_as_string: '…', clicks: { value: 2 }, views: { value: 5 } },
            { key: t, clicks: { value: 1 }, views: { value: 3 } },
          ],
        },
      },
    };
    expect(readClicksVsViews(answer)).toEqual([
      { t, clicks: 1, views: 3 },
      { t: t + 60_000, clicks: 2, views: 5 },
    ]);
  });

  it('an answer without aggregations (no index yet) reads as empty', () => {
    expect(readTopPages({})).toEqual([]);
    expect(readClicksVsViews(null)).toEqual([]);
    expect(readClicksVsViews({ aggregations: { per_minute: {} } })).toEqual([]);
  });
});
