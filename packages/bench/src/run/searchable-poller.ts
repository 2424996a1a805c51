import type { Client } from '@elastic/elasticsearch';
import { WINDOW_DOCUMENT_FIELDS as F, type WindowDocument } from '@tributary/schema';
import type { WindowTracker } from './window-tracker.js';
import { PollingLoop } from './polling-loop.js';

/** The fields of a window document a poll reads. */
const SOURCE_FIELDS = [F.pageUrl, F.windowStart, F.windowEnd, F.clickCount, F.viewCount] as const;
type PolledDocument = Pick<WindowDocument, (typeof SOURCE_FIELDS)[number]>;

const PAGE_SIZE = 5000;

/**
 * Searches the results alias every `intervalMs` for final window documents and reports each one to the tracker with
 * the time of the search that returned it. Pages through all documents (search_after on window_end, page_url), so
 * runs with more than 10 000 windows are covered; the cost of a poll grows with the number of windows, which
 * lengthens the effective interval of very long runs.
 */
export class SearchablePoller {
  readonly #es: Client;
  readonly #index: string;
  readonly #tracker: WindowTracker;
  readonly #loop: PollingLoop;
  #polls = 0;

  constructor(es: Client, index: string, tracker: WindowTracker, intervalMs: number) {
    this.#es = es;
    this.#index = index;
    this.#tracker = tracker;
    this.#loop = new PollingLoop(() => this.pollOnce(), intervalMs);
  }

  /** Completed polls. */
  get polls(): number {
    return this.#polls;
  }

  start(): void {
    this.#loop.start();
  }

  /** One full pass over the final documents. Failures (alias not created yet) count as "nothing searchable". */
  async pollOnce(): Promise<void> {
    let after: (string | number)[] | undefined;
    try {
      for (;;) {
        const response = await this.#es.search<PolledDocument>(
          {
            index: this.#index,
            size: PAGE_SIZE,
            query: { term: { [F.isFinal]: true } },
            sort: [{ [F.windowEnd]: 'asc' }, { [F.pageUrl]: 'asc' }],
            _source: [...SOURCE_FIELDS],
            ...(after === undefined ? {} : { search_after: after }),
          },
          { ignore: [404] },
        );
        const now = Date.now();
        const hits = response.hits?.hits ?? [];
        for (const hit of hits) {
          const d = hit._source;
          if (d === undefined) continue;
          this.#tracker.observeSearchable(
            {
              pageUrl: d.page_url,
              windowStart: Number(d.window_start),
              windowEnd: Number(d.window_end),
              clickCount: d.click_count,
              viewCount: d.view_count,
            },
            now,
          );
        }
        if (hits.length < PAGE_SIZE) break;
        after = hits.at(-1)?.sort as (string | number)[];
      }
      this.#polls++;
    } catch {
      // The alias appears with the first document; until then searches fail.
    }
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }
}
