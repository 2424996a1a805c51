import { describe, expect, it } from 'vitest';
import { windowDocumentId } from '@tributary/schema';
import { jsonResultEncoder, type WindowedResult } from '../../src/engine/window-result.js';
import { windowedResultMapper } from '../../src/dsl/windowed-result-documents.js';

const map = windowedResultMapper();
const record = (value: Buffer | null, offset = '7') => ({ key: null, value, offset, partition: 1 });

describe('windowedResultMapper', () => {
  it('indexes a default-encoded result as it is: id of key and windowStart, version as external version', () => {
    const result: WindowedResult<{ clicks: number }> = {
      key: '/home',
      windowStart: 60_000,
      windowEnd: 120_000,
      result: { clicks: 3 },
      isFinal: false,
      version: 2,
    };
    const encoded = jsonResultEncoder<{ clicks: number }>()(result);
    expect(map(record(encoded.value))).toEqual({
      document: { ...result },
      id: windowDocumentId('/home', 60_000),
      version: 2,
    });
    // Another emission of the same window is the same document, at another offset.
    const later = jsonResultEncoder<{ clicks: number }>()({ ...result, result: { clicks: 4 }, version: 3 });
    expect(map(record(later.value, '9'))).toMatchObject({
      id: windowDocumentId('/home', 60_000),
      version: 3,
    });
    expect(map(record(jsonResultEncoder()({ ...result, windowStart: 120_000 }).value)).id).not.toBe(
      windowDocumentId('/home', 60_000),
    );
  });

  it.each([
    [null, 'tombstone'],
    [Buffer.from('not json'), 'decode_error'],
    [Buffer.from('[1]'), 'decode_error'],
    [Buffer.from(JSON.stringify({ windowStart: 0, version: 1 })), 'missing_id'],
    [Buffer.from(JSON.stringify({ key: 'k', windowStart: '0', version: 1 })), 'missing_id'],
    [Buffer.from(JSON.stringify({ key: 'k', windowStart: 0 })), 'invalid_version'],
    [Buffer.from(JSON.stringify({ key: 'k', windowStart: 0, version: -1 })), 'invalid_version'],
  ])('%# refuses a record that is not a windowed result (%s)', (value, errorType) => {
    expect(() => map(record(value))).toThrow(
      expect.objectContaining({ name: 'RecordMappingError', errorType }),
    );
  });
});
