import type { ClickstreamProjection } from '@tributary/schema';
import type { InputRecord } from '../task/partition-task.js';
import type { EncodedEvent } from '../engine/accepted-events.js';
import type { EnrichmentTable } from './enrichment-table.js';

/** A row of the pages table (`clickstream-pages`: key page_url → JSON). */
export interface PageInfo {
  readonly category?: string;
}

/** A row of the users table (`clickstream-users`: key user_id → JSON). */
export interface UserInfo {
  readonly segment?: string;
}

/**
 * An accepted clickstream event joined with the reference data (left join: `category` / `segment` are null when
 * the key is absent from the table). Deterministic: the same input record always gives the same document.
 */
export interface EnrichedClickstreamEvent {
  event_id: string;
  user_id: string;
  page_url: string;
  event_type: string;
  /** Event time, epoch ms. */
  timestamp: number;
  session_id?: string;
  referrer?: string;
  user_agent?: string;
  device?: string;
  country?: string;
  category: string | null;
  segment: string | null;
  /** Input record the event came from. */
  source_partition: number;
  source_offset: number;
}

/** Optional fields of the full event (absent with the projection decoder). */
type FullEventFields = Partial<Record<'sessionId' | 'referrer' | 'userAgent' | 'device' | 'country', string>>;

export interface ClickstreamEnrichmentTables {
  readonly pages: EnrichmentTable<PageInfo>;
  /** Optional: without it `segment` is always null. */
  readonly users?: EnrichmentTable<UserInfo> | undefined;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Joins one event with the pages (by page_url) and users (by user_id) tables. */
export function enrichClickstreamEvent(
  event: ClickstreamProjection & FullEventFields,
  record: Pick<InputRecord, 'partition' | 'offset'>,
  tables: ClickstreamEnrichmentTables,
): EnrichedClickstreamEvent {
  const doc: EnrichedClickstreamEvent = {
    event_id: event.eventId,
    user_id: event.userId,
    page_url: event.pageUrl,
    event_type: event.eventType,
    timestamp: event.timestamp,
    category: text(tables.pages.lookup(event.pageUrl)?.category),
    segment: text(tables.users?.lookup(event.userId)?.segment),
    source_partition: record.partition,
    source_offset: record.offset,
  };
  if (event.sessionId) doc.session_id = event.sessionId;
  if (event.referrer) doc.referrer = event.referrer;
  if (event.userAgent) doc.user_agent = event.userAgent;
  if (event.device) doc.device = event.device;
  if (event.country) doc.country = event.country;
  return doc;
}

/**
 * The `clickstream-enriched` record of an accepted event: UTF-8 JSON, key = event_id (or, for an event without
 * one, `<topic>-<partition>-<offset>` of its input record — stable across replays). The key is the Elasticsearch
 * document id, so a replay overwrites the same document instead of adding one.
 */
export function clickstreamEnrichedEncoder(
  tables: ClickstreamEnrichmentTables,
): (event: ClickstreamProjection, record: InputRecord) => EncodedEvent {
  return (event, record) => {
    const doc = enrichClickstreamEvent(event, record, tables);
    const id = doc.event_id !== '' ? doc.event_id : `${record.topic}-${record.partition}-${record.offset}`;
    return { key: Buffer.from(id, 'utf8'), value: Buffer.from(JSON.stringify(doc), 'utf8') };
  };
}

/** Explicit (strict) mappings of the enriched-events indices. */
export const ENRICHED_EVENT_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    event_id: { type: 'keyword' },
    user_id: { type: 'keyword' },
    page_url: { type: 'keyword' },
    event_type: { type: 'keyword' },
    timestamp: { type: 'date', format: 'epoch_millis' },
    session_id: { type: 'keyword' },
    referrer: { type: 'keyword', ignore_above: 2048 },
    user_agent: { type: 'keyword', ignore_above: 1024 },
    device: { type: 'keyword' },
    country: { type: 'keyword' },
    category: { type: 'keyword' },
    segment: { type: 'keyword' },
    source_partition: { type: 'integer' },
    source_offset: { type: 'long' },
  },
} as const;
