import * as crypto from 'node:crypto';
import type { WindowResult } from './types.js';

/**
 * Field names of the window-result document: the `WindowResult` proto's own (snake_case) names, by the
 * `WindowResult` property they hold.
 */
export const WINDOW_DOCUMENT_FIELDS = {
  pageUrl: 'page_url',
  windowStart: 'window_start',
  windowEnd: 'window_end',
  clickCount: 'click_count',
  viewCount: 'view_count',
  isFinal: 'is_final',
  version: 'version',
} as const;

const F = WINDOW_DOCUMENT_FIELDS;

/**
 * The Elasticsearch/JSON document of a window result. `version` only grows per (page, window) and is the document's
 * external version: a later emission of the same window replaces an earlier one, never the reverse.
 */
export type WindowDocument = {
  readonly [F.pageUrl]: string;
  /** Epoch ms, inclusive. */
  readonly [F.windowStart]: number;
  /** Epoch ms, exclusive. */
  readonly [F.windowEnd]: number;
  readonly [F.clickCount]: number;
  readonly [F.viewCount]: number;
  readonly [F.isFinal]: boolean;
  readonly [F.version]: number;
};

/** The document of a window result, with proto (snake_case) field names. */
export function windowResultToJSON(r: WindowResult): WindowDocument {
  return {
    page_url: r.pageUrl,
    window_start: r.windowStart,
    window_end: r.windowEnd,
    click_count: r.clickCount,
    view_count: r.viewCount,
    is_final: r.isFinal,
    version: r.version,
  };
}

/**
 * `crypto.hash` (Node ≥ 20.12): a third of `createHash().update().digest()`'s time for an id — the window path maps
 * every result of a window at once. Undefined on older Node 20 releases, which take `createHash`.
 */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string })
  .hash;

/**
 * Deterministic document id of a window: the first 32 base64url characters of the SHA-256 of page_url, a NUL and
 * window_start in decimal — every emission of the same window maps to the same document.
 */
export function windowDocumentId(pageUrl: string, windowStart: number): string {
  // One UTF-8 string hashed at once is the same bytes as the three parts hashed in turn.
  const data = `${pageUrl}\u0000${windowStart}`;
  return (
    oneShotHash?.('sha256', data, 'base64url') ?? crypto.createHash('sha256').update(data).digest('base64url')
  ).slice(0, 32);
}

/**
 * Elasticsearch mappings of window-result documents (a plain object for an index, a template or a component
 * template): strict, page_url a keyword, the window bounds epoch-millis dates, the counts and the version longs.
 */
export const WINDOW_DOCUMENT_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    page_url: { type: 'keyword' },
    window_start: { type: 'date', format: 'epoch_millis' },
    window_end: { type: 'date', format: 'epoch_millis' },
    click_count: { type: 'long' },
    view_count: { type: 'long' },
    is_final: { type: 'boolean' },
    version: { type: 'long' },
  },
} as const satisfies {
  readonly dynamic: 'strict';
  readonly properties: {
    readonly [K in keyof WindowDocument]: { readonly type: string; readonly format?: string };
  };
};
