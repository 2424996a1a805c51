/**
 * The dashboard's two Elasticsearch queries over window-result documents (fields page_url, window_start,
 * window_end, click_count, view_count) and readers of their answers. The bench measures the same bodies under load.
 */

import { WINDOW_DOCUMENT_FIELDS as F } from '@tributary/schema';

/** A `_search` request body. */
export type SearchBody = Record<string, unknown>;

/** Top pages in the last `minutes` minutes: terms on page_url ordered by summed clicks, over a range on window_start. */
export function topPagesQuery(minutes = 5, size = 10): SearchBody {
  return {
    size: 0,
    track_total_hits: false,
    query: { range: { [F.windowStart]: { gte: `now-${minutes}m` } } },
    aggs: {
      top_pages: {
        terms: { field: F.pageUrl, size, order: { clicks: 'desc' } },
        aggs: { clicks: { sum: { field: F.clickCount } }, views: { sum: { field: F.viewCount } } },
      },
    },
  };
}

/** Clicks vs views per minute over the last `minutes` minutes: a date_histogram with two sums. */
export function clicksVsViewsQuery(minutes = 30): SearchBody {
  return {
    size: 0,
    track_total_hits: false,
    query: { range: { [F.windowStart]: { gte: `now-${minutes}m` } } },
    aggs: {
      per_minute: {
        date_histogram: { field: F.windowStart, fixed_interval: '1m', min_doc_count: 0 },
        aggs: { clicks: { sum: { field: F.clickCount } }, views: { sum: { field: F.viewCount } } },
      },
    },
  };
}

/** One row of the top-pages answer. */
export interface TopPageRow {
  readonly pageUrl: string;
  readonly clicks: number;
  readonly views: number;
}

/** One minute of the clicks-vs-views answer; `t` is the minute's start (epoch ms). */
export interface MinutePoint {
  readonly t: number;
  readonly clicks: number;
  readonly views: number;
}

interface SumBucket {
  readonly clicks?: { readonly value?: number | null };
  readonly views?: { readonly value?: number | null };
}

const sum = (b: SumBucket, field: 'clicks' | 'views'): number => b[field]?.value ?? 0;

function buckets(response: unknown, agg: string): readonly Record<string, unknown>[] {
  const aggs = (response as { aggregations?: Record<string, { buckets?: unknown }> } | null)?.aggregations;
  const list = aggs?.[agg]?.buckets;
  return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
}

/** The rows of a `topPagesQuery` answer, in the answer's order (most clicks first). No aggregation → no rows. */
export function readTopPages(response: unknown): TopPageRow[] {
  return buckets(response, 'top_pages').map((b) => ({
    pageUrl: String(b['key']),
    clicks: sum(b as SumBucket, 'clicks'),
    views: sum(b as SumBucket, 'views'),
  }));
}

/** The points of a `clicksVsViewsQuery` answer, oldest first. No aggregation → no points. */
export function readClicksVsViews(response: unknown): MinutePoint[] {
  return buckets(response, 'per_minute')
    .map((b) => ({
      t: Number(b['key']),
      clicks: sum(b as SumBucket, 'clicks'),
      views: sum(b as SumBucket, 'views'),
    }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
}
