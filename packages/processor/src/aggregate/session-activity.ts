import { jsonDeserialize, jsonSerialize, type Aggregator } from './aggregator.js';

/** What a user did in one session. */
export interface SessionActivity {
  /** Events in the session. */
  eventCount: number;
  /** Distinct pages visited (each once; order of first appearance within each merged piece). */
  pages: string[];
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
      if (!acc.pages.includes(page)) acc.pages.push(page);
      if (ts < acc.firstEventMs) acc.firstEventMs = ts;
      if (ts > acc.lastEventMs) acc.lastEventMs = ts;
      return acc;
    },
    merge: (a, b) => {
      // the earlier piece's pages first
      const first = a.firstEventMs <= b.firstEventMs ? a : b;
      const second = first === a ? b : a;
      const pages = [...first.pages];
      for (const p of second.pages) if (!pages.includes(p)) pages.push(p);
      return {
        eventCount: a.eventCount + b.eventCount,
        pages,
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
