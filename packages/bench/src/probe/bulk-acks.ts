import { WINDOW_DOCUMENT_FIELDS as F, type WindowDocument } from '@tributary/schema';
import type { WindowAck } from './probe-protocol.js';

/** What one acknowledged bulk request held, as the probe needs it. */
export interface BulkAcks {
  /** Final window documents answered 2xx. */
  readonly windows: WindowAck[];
  /** `timestamp` (epoch ms) of every enriched event document (one with an `event_id`) answered 2xx. */
  readonly eventTimestamps: number[];
}

interface BulkItem {
  readonly status?: number;
}

const EVENT_TIMESTAMP = /"timestamp":(\d+)/;
/** What marks the JSON source of a final window-result document. */
const WINDOW_END_KEY = `"${F.windowEnd}"`;
const FINAL = `"${F.isFinal}":true`;

function itemStatus(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const inner = Object.values(raw as Record<string, unknown>)[0] as BulkItem | undefined;
  return typeof inner?.status === 'number' ? inner.status : undefined;
}

/**
 * Pairs the NDJSON body of a `_bulk` request with its response items (same order) and returns the documents that
 * were acknowledged (2xx; a 409 of an external-version replay wrote nothing): final window-result documents
 * (`is_final: true`) with their key, and the timestamps of enriched-event documents. Event documents are read with
 * a regular expression, not parsed, to keep the cost in the processor small.
 */
export function bulkAcks(ndjson: string, responseItems: readonly unknown[], ackMs: number): BulkAcks {
  const windows: WindowAck[] = [];
  const eventTimestamps: number[] = [];
  const lines = ndjson.split('\n');
  let item = 0;
  for (let i = 0; i < lines.length; i++) {
    const action = lines[i]!;
    if (action.length === 0) continue;
    const isDelete = action.startsWith('{"delete"');
    const source = isDelete ? undefined : lines[++i];
    const status = itemStatus(responseItems[item++]);
    if (source === undefined || status === undefined || status < 200 || status > 299) continue;
    if (source.includes('"event_id"')) {
      const m = EVENT_TIMESTAMP.exec(source);
      if (m !== null) eventTimestamps.push(Number(m[1]));
    } else if (source.includes(WINDOW_END_KEY) && source.includes(FINAL)) {
      try {
        const d = JSON.parse(source) as { [K in keyof WindowDocument]?: unknown };
        const pageUrl = d[F.pageUrl];
        if (typeof pageUrl === 'string') {
          windows.push([pageUrl, Number(d[F.windowStart]), Number(d[F.windowEnd]), ackMs]);
        }
      } catch {
        // Not a window document after all.
      }
    }
  }
  return { windows, eventTimestamps };
}
