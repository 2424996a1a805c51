import type { Aggregator } from './aggregator.js';

/** Clicks and views of one page in one window. */
export interface PageCounts {
  clickCount: number;
  viewCount: number;
}

/** The minimal event shape the clickstream aggregate reads. */
export interface PageEvent {
  readonly eventType: string;
}

/**
 * The clickstream aggregate: clicks and views per page. Events of another type (none pass schema validation)
 * are ignored. Serialized as 16 bytes: two big-endian float64 (exact for integers below 2^53).
 */
export function clickstreamAggregator<E extends PageEvent>(): Aggregator<E, PageCounts, PageCounts> {
  return {
    create: () => ({ clickCount: 0, viewCount: 0 }),
    add: (acc, e) => {
      if (e.eventType === 'CLICK') acc.clickCount++;
      else if (e.eventType === 'VIEW') acc.viewCount++;
      return acc;
    },
    merge: (a, b) => ({ clickCount: a.clickCount + b.clickCount, viewCount: a.viewCount + b.viewCount }),
    result: (acc) => ({ clickCount: acc.clickCount, viewCount: acc.viewCount }),
    serialize: (acc) => {
      const b = Buffer.allocUnsafe(16);
      b.writeDoubleBE(acc.clickCount, 0);
      b.writeDoubleBE(acc.viewCount, 8);
      return b;
    },
    deserialize: (b) => {
      if (b.length !== 16) throw new RangeError(`clickstream accumulator must be 16 bytes (got ${b.length})`);
      return { clickCount: b.readDoubleBE(0), viewCount: b.readDoubleBE(8) };
    },
  };
}
