import type { ClickstreamEvent } from '../../src/types.js';
import { rng } from '../../../../test/helpers/rng.js';

export { rng };

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789/-_.?=&é€😀';

function randomString(next: () => number, maxLen: number): string {
  const len = Math.floor(next() * (maxLen + 1));
  let s = '';
  for (let i = 0; i < len; i++) s += [...ALPHABET][Math.floor(next() * [...ALPHABET].length)];
  return s;
}

/** A random event; fields are sometimes empty and timestamps cover negatives and large values. */
export function randomEvent(next: () => number): ClickstreamEvent {
  const tsChoice = next();
  const timestamp =
    tsChoice < 0.1
      ? 0
      : tsChoice < 0.2
        ? -Math.floor(next() * 2 ** 40)
        : tsChoice < 0.3
          ? Math.floor(next() * Number.MAX_SAFE_INTEGER)
          : 1_700_000_000_000 + Math.floor(next() * 1e10);
  return {
    userId: randomString(next, 12),
    pageUrl: '/' + randomString(next, 80),
    timestamp,
    eventType: next() < 0.45 ? 'CLICK' : next() < 0.9 ? 'VIEW' : randomString(next, 6),
    eventId: randomString(next, 36),
    sessionId: randomString(next, 20),
    referrer: randomString(next, 100),
    userAgent: randomString(next, 120),
    device: randomString(next, 8),
    country: randomString(next, 2),
  };
}

export function sampleEvent(overrides: Partial<ClickstreamEvent> = {}): ClickstreamEvent {
  return {
    userId: 'user_42',
    pageUrl: '/page/7',
    timestamp: 1_700_000_000_000,
    eventType: 'CLICK',
    eventId: '0b7e6c1e-1d0c-4bd7-9f3c-4a1f0d2d9e11',
    sessionId: 'sess-1',
    referrer: 'https://example.com/',
    userAgent: 'Mozilla/5.0',
    device: 'desktop',
    country: 'DE',
    ...overrides,
  };
}
