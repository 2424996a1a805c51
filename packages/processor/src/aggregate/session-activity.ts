import { jsonDeserialize, jsonSerialize, type Aggregator } from './aggregator.js';

/**
 * Most characters of page URLs a session lists: a bot's session visiting endless distinct URLs must not grow one
 * state entry (and its changelog record) without bound. Pages beyond it are not listed and `pagesTruncated` is set.
 */
export const SESSION_PAGES_MAX_CHARS = 32_768;

/** What a user did in one session. */
export interface SessionActivity {
  /** Events in the session. */
  eventCount: number;
  /**
   * Distinct pages visited (each once; order of first appearance within each merged piece), up to
   * SESSION_PAGES_MAX_CHARS characters in all.
   */
  pages: string[];
  /** Some distinct pages were not listed (the list reached SESSION_PAGES_MAX_CHARS). */
  pagesTruncated?: boolean;
  /** Timestamp of the first and the last event (ms). */
  firstEventMs: number;
  lastEventMs: number;
}

/** The session summary emitted per (user, session). */
export interface SessionSummary extends SessionActivity {
  /** `lastEventMs - firstEventMs`. */
  durationMs: number;
}

/** Pages visited and duration of a session; `pageOf` and `timestampOf` read the event. */
export function sessionActivityAggregator<E>(
  pageOf: (event: E) => string,
  timestampOf: (event: E) => number,
): Aggregator<E, SessionActivity, SessionSummary> {
  return {
    create: () => ({
      eventCount: 0,
      pages: [],
      firstEventMs: Number.MAX_SAFE_INTEGER,
      lastEventMs: Number.MIN_SAFE_INTEGER,
    }),
    add: (acc, e) => {
      const page = pageOf(e);
      const ts = timestampOf(e);
      acc.eventCount++;
      if (!acc.pages.includes(page) && !listPage(acc.pages, page)) acc.pagesTruncated = true;
      if (ts < acc.firstEventMs) acc.firstEventMs = ts;
      if (ts > acc.lastEventMs) acc.lastEventMs = ts;
      return acc;
    },
    merge: (a, b) => {
      // the earlier piece's pages first
      const first = a.firstEventMs <= b.firstEventMs ? a : b;
      const second = first === a ? b : a;
      const pages = [...first.pages];
      let truncated = a.pagesTruncated === true || b.pagesTruncated === true;
      for (const p of second.pages) if (!pages.includes(p) && !listPage(pages, p)) truncated = true;
      return {
        eventCount: a.eventCount + b.eventCount,
        pages,
        ...(truncated ? { pagesTruncated: true } : {}),
        firstEventMs: Math.min(a.firstEventMs, b.firstEventMs),
        lastEventMs: Math.max(a.lastEventMs, b.lastEventMs),
      };
    },
    result: (acc) => ({
      ...acc,
      pages: [...acc.pages],
      durationMs: Math.max(0, acc.lastEventMs - acc.firstEventMs),
    }),
    serialize: jsonSerialize,
    deserialize: (b) => jsonDeserialize<SessionActivity>(b),
  };
}

/** Appends `page` to `pages` when the list stays within SESSION_PAGES_MAX_CHARS; whether it did. */
function listPage(pages: string[], page: string): boolean {
  let chars = page.length;
  for (const p of pages) chars += p.length;
  if (chars > SESSION_PAGES_MAX_CHARS) return false;
  pages.push(page);
  return true;
}
