import type { WindowResult } from '../../src/types.js';

/** A final window result with a count above 2^32 (int64 fields decoded as numbers). */
export const sampleWindowResult: WindowResult = {
  pageUrl: '/page/7',
  windowStart: 1_700_000_040_000,
  windowEnd: 1_700_000_100_000,
  clickCount: 12,
  viewCount: 3_000_000_000,
  isFinal: true,
  version: 4,
};
