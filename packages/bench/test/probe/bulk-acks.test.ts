import { describe, expect, it } from 'vitest';
import { bulkAcks } from '../../src/probe/bulk-acks.js';

const ndjson = (...lines: object[]): string => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
const ok = (status = 201) => ({ index: { status } });

describe('bulkAcks', () => {
  it('returns final window documents and event timestamps answered 2xx, in request order', () => {
    const body = ndjson(
      { index: { _index: 'w', _id: 'a', version: 3, version_type: 'external' } },
      { page_url: '/a', window_start: 0, window_end: 10_000, click_count: 1, view_count: 2, is_final: true },
      { index: { _index: 'w', _id: 'b' } },
      { page_url: '/b', window_start: 0, window_end: 10_000, click_count: 1, view_count: 2, is_final: false },
      { index: { _index: 'e', _id: 'ev1' } },
      { event_id: 'ev1', page_url: '/a', timestamp: 1234, source_offset: 9 },
      { delete: { _index: 'w', _id: 'gone' } },
      { index: { _index: 'e', _id: 'ev2' } },
      { event_id: 'ev2', page_url: '/a', timestamp: 5678 },
    );
    const acks = bulkAcks(body, [ok(), ok(), ok(200), ok(200), ok()], 99_000);
    expect(acks.windows).toEqual([['/a', 0, 10_000, 99_000]]);
    expect(acks.eventTimestamps).toEqual([1234, 5678]);
  });

  it('leaves out documents that failed or were no-op replays (409)', () => {
    const body = ndjson(
      { index: { _id: 'ev1' } },
      { event_id: 'ev1', timestamp: 1 },
      { index: { _id: 'ev2' } },
      { event_id: 'ev2', timestamp: 2 },
      { index: { _id: 'a' } },
      { page_url: '/a', window_start: 0, window_end: 1, is_final: true },
    );
    const acks = bulkAcks(body, [ok(409), ok(429), { index: {} }], 5);
    expect(acks).toEqual({ windows: [], eventTimestamps: [] });
  });
});
