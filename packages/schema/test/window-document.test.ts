import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  WINDOW_DOCUMENT_FIELDS,
  WINDOW_DOCUMENT_MAPPINGS,
  windowDocumentId,
  windowResultToJSON,
} from '../src/window-document.js';
import { sampleWindowResult } from './helpers/window-results.js';

const result = sampleWindowResult;

describe('WINDOW_DOCUMENT_FIELDS', () => {
  it('names every WindowResult property with the document field that holds it', () => {
    const document: Record<string, unknown> = windowResultToJSON(result);
    for (const [property, field] of Object.entries(WINDOW_DOCUMENT_FIELDS)) {
      expect(document[field]).toBe(result[property as keyof typeof result]);
    }
    expect(Object.keys(WINDOW_DOCUMENT_FIELDS).sort()).toEqual(Object.keys(result).sort());
  });
});

describe('windowResultToJSON', () => {
  it('maps to a snake_case document', () => {
    expect(windowResultToJSON(result)).toEqual({
      page_url: '/page/7',
      window_start: 1_700_000_040_000,
      window_end: 1_700_000_100_000,
      click_count: 12,
      view_count: 3_000_000_000,
      is_final: true,
      version: 4,
    });
  });

  it('writes exactly the fields WINDOW_DOCUMENT_FIELDS names, in their order', () => {
    expect(Object.keys(windowResultToJSON(result))).toEqual(Object.values(WINDOW_DOCUMENT_FIELDS));
  });
});

describe('windowDocumentId', () => {
  it('is the same id for every emission of a window, and a different one for another window', () => {
    expect(windowDocumentId('/home', 60_000)).toBe(windowDocumentId('/home', 60_000));
    expect(windowDocumentId('/home', 60_000)).not.toBe(windowDocumentId('/home', 120_000));
    expect(windowDocumentId('/home', 60_000)).not.toBe(windowDocumentId('/home2', 60_000));
    expect(windowDocumentId('/home', 60_000)).toHaveLength(32);
  });

  it('keeps the ids of documents already indexed (sha256 of page NUL start, base64url, 32 characters)', () => {
    expect(windowDocumentId('/home', 60_000)).toBe('ck7CvghX3Kf4Lc7RXPF7XhzlesAX0gpl');
    expect(windowDocumentId('/page/7', 1_700_000_040_000)).toBe('2ZyzPBHsS56gAS1ccqCPfSDb_Ao631Wt');
    expect(windowDocumentId('/p/ü', -60_000)).toBe('HZs3pocOuDlA5Wfh_RItifxXYEozChUj');
  });

  it('hashes page NUL start as the three parts hashed in turn, whatever the page holds', () => {
    const inTurn = (page: string, start: number) =>
      createHash('sha256')
        .update(page)
        .update('\u0000')
        .update(String(start))
        .digest('base64url')
        .slice(0, 32);
    for (const page of ['', '/a\u0000b', '/lone-\ud800', '/\udc00x', '/emoji-😀', '/€'.repeat(300)])
      for (const start of [0, -1, 1_700_000_000_000, Number.MAX_SAFE_INTEGER])
        expect(windowDocumentId(page, start)).toBe(inTurn(page, start));
  });
});

describe('WINDOW_DOCUMENT_MAPPINGS', () => {
  it('maps every document field, strictly', () => {
    expect(WINDOW_DOCUMENT_MAPPINGS.dynamic).toBe('strict');
    expect(Object.keys(WINDOW_DOCUMENT_MAPPINGS.properties)).toEqual(Object.values(WINDOW_DOCUMENT_FIELDS));
    // Field → its type (and format), as an index created by an earlier release has it.
    const types = Object.fromEntries(
      Object.entries(WINDOW_DOCUMENT_MAPPINGS.properties).map(([field, m]) => [
        field,
        Object.entries(m)
          .map(([key, value]) => `${key}=${value}`)
          .join(' '),
      ]),
    );
    expect(types).toEqual({
      page_url: 'type=keyword',
      window_start: 'type=date format=epoch_millis',
      window_end: 'type=date format=epoch_millis',
      click_count: 'type=long',
      view_count: 'type=long',
      is_final: 'type=boolean',
      version: 'type=long',
    });
  });
});
