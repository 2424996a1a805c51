/** The two dashboard queries of the `queries` scenario, as `_search` bodies over window result documents. */

/** The query builders live with the dashboard that runs them, so the bench measures exactly what it serves. */
export { clicksVsViewsQuery, topPagesQuery } from '@tributary/dashboard';

/** The mapping of window result documents: the one the connector installs for the clickstream job. */
export { WINDOW_RESULT_MAPPINGS } from '@tributary/es-sink';

export interface WindowResultDoc {
  readonly page_url: string;
  readonly window_start: number;
  readonly window_end: number;
  readonly click_count: number;
  readonly view_count: number;
  readonly is_final: boolean;
  readonly version: number;
}

/**
 * The `seq`-th window result document of a writer producing one-minute windows for `pages` pages: the window is the
 * minute of `nowMs` shifted back by `minutesBack`, counts are deterministic in `seq`.
 */
export function windowResultDoc(seq: number, nowMs: number, pages: number, minutesBack = 0): WindowResultDoc {
  const start = Math.floor(nowMs / 60_000) * 60_000 - minutesBack * 60_000;
  return {
    page_url: `/products/${(seq % pages) + 1}`,
    window_start: start,
    window_end: start + 60_000,
    click_count: (seq * 7) % 97,
    view_count: (seq * 13) % 389,
    is_final: minutesBack > 0,
    version: seq,
  };
}

/** Deterministic id: one document per page and window, updated in place as the window's counts change. */
export const windowResultId = (doc: WindowResultDoc): string => `${doc.page_url}|${doc.window_start}`;
