import { describe, expect, it } from 'vitest';
import {
  clickstreamEnrichedEncoder,
  enrichClickstreamEvent,
  type PageInfo,
  type UserInfo,
} from '../../src/enrichment/clickstream-enrichment.js';
import { EnrichmentTable } from '../../src/enrichment/enrichment-table.js';
import type { InputRecord } from '../../src/task/partition-task.js';

function tables() {
  const pages = new EnrichmentTable<PageInfo>();
  const users = new EnrichmentTable<UserInfo>();
  pages.apply({ key: Buffer.from('/products/1'), value: Buffer.from('{"category":"shoes"}') });
  users.apply({ key: Buffer.from('u1'), value: Buffer.from('{"segment":"gold"}') });
  return { pages, users };
}

const event = {
  eventId: 'e1',
  userId: 'u1',
  pageUrl: '/products/1',
  timestamp: 1_700_000_000_123,
  eventType: 'CLICK',
};
const input: InputRecord = {
  topic: 'events',
  partition: 2,
  offset: 41,
  timestamp: 0,
  key: Buffer.from('u1'),
  value: null,
  headers: {},
};

describe('clickstream enrichment', () => {
  it('joins the event with its page category and user segment', () => {
    expect(enrichClickstreamEvent({ ...event, device: 'mobile', sessionId: '' }, input, tables())).toEqual({
      event_id: 'e1',
      user_id: 'u1',
      page_url: '/products/1',
      event_type: 'CLICK',
      timestamp: 1_700_000_000_123,
      device: 'mobile',
      category: 'shoes',
      segment: 'gold',
      source_partition: 2,
      source_offset: 41,
    });
  });

  it('is a left join: unknown page or user → null, and no users table → null segment', () => {
    const t = tables();
    const doc = enrichClickstreamEvent({ ...event, pageUrl: '/products/9', userId: 'u9' }, input, t);
    expect([doc.category, doc.segment]).toEqual([null, null]);
    expect(enrichClickstreamEvent(event, input, { pages: t.pages }).segment).toBeNull();
    // A deleted row (tombstone) is absent again.
    t.pages.apply({ key: Buffer.from('/products/1'), value: null });
    expect(enrichClickstreamEvent(event, input, t).category).toBeNull();
  });

  it('encodes JSON keyed by event_id, or by the input position for an event without one', () => {
    const encode = clickstreamEnrichedEncoder(tables());
    const a = encode(event, input);
    expect(a.key!.toString()).toBe('e1');
    expect(JSON.parse(a.value.toString())).toMatchObject({ event_id: 'e1', category: 'shoes' });
    const b = encode({ ...event, eventId: '' }, input);
    expect(b.key!.toString()).toBe('events-2-41');
    expect(encode({ ...event, eventId: '' }, input).value.equals(b.value)).toBe(true); // deterministic
  });
});
