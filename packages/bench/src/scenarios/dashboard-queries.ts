/** The two dashboard queries of the `queries` scenario, as `_search` bodies over window result documents. */
import { windowDocumentId, type WindowDocument } from '@tributary/schema';

/** The query builders live with the dashboard that runs them, so the bench measures exactly what it serves. */
export { clicksVsViewsQuery, topPagesQuery } from '@tributary/dashboard';

/**
 * The `seq`-th window result document of a writer producing one-minute windows for `pages` pages: the window is the
 * minute of `nowMs` shifted back by `minutesBack`, counts are deterministic in `seq`.
 */
export function windowResultDoc(seq: number, nowMs: number, pages: number, minutesBack = 0): WindowDocument {
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

/** The processor's document id: one document per page and window, updated in place as the window's counts change. */
export const windowResultId = (doc: WindowDocument): string =>
  windowDocumentId(doc.page_url, doc.window_start);
