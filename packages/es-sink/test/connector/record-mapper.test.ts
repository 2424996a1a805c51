import { WINDOW_DOCUMENT_MAPPINGS, encodeWindowResult, windowDocumentId } from '@tributary/schema';
import { describe, expect, it } from 'vitest';
import { jsonMapper, windowResultMapper, windowResultTemplate } from '../../src/connector/record-mapper.js';

const record = (value: Buffer | null, offset = '42') => ({ key: null, value, offset, partition: 3 });

describe('windowResultMapper', () => {
  it('maps a WindowResult to the document, a deterministic id and its version', () => {
    const result = {
      pageUrl: '/home',
      windowStart: 60_000,
      windowEnd: 120_000,
      clickCount: 3,
      viewCount: 9,
      isFinal: true,
      version: 4,
    };
    const mapped = windowResultMapper()(record(Buffer.from(encodeWindowResult(result))));
    expect(mapped).toEqual({
      document: {
        page_url: '/home',
        window_start: 60_000,
        window_end: 120_000,
        click_count: 3,
        view_count: 9,
        is_final: true,
        version: 4,
      },
      id: windowDocumentId('/home', 60_000),
      version: 4,
    });
    expect(windowDocumentId('/home', 60_000)).not.toBe(windowDocumentId('/home', 120_000));
    expect(windowDocumentId('/home', 60_000)).toHaveLength(32);
  });

  it('rejects undecodable bytes and tombstones with a typed error', () => {
    expect(() => windowResultMapper()(record(Buffer.from([0xff, 0xff, 0xff])))).toThrow(
      expect.objectContaining({ errorType: 'decode_error' }),
    );
    expect(() => windowResultMapper()(record(null))).toThrow(
      expect.objectContaining({ errorType: 'tombstone' }),
    );
  });
});

describe('jsonMapper', () => {
  it('takes the id from a field and the version from the offset', () => {
    const mapped = jsonMapper({ idField: 'user.id', versionFrom: 'offset' })(
      record(Buffer.from('{"user":{"id":7},"a":1}')),
    );
    expect(mapped).toEqual({ document: { user: { id: 7 }, a: 1 }, id: '7', version: 42 });
  });

  it('defaults the id to partition-offset and reads a version field', () => {
    const mapped = jsonMapper({ versionFrom: 'field', versionField: 'v' })(record(Buffer.from('{"v":"9"}')));
    expect(mapped).toEqual({ document: { v: '9' }, id: '3-42', version: 9 });
    expect(jsonMapper({ versionFrom: 'none' })(record(Buffer.from('{}'))).version).toBeUndefined();
  });

  it('rejects non-JSON, non-objects, missing ids and bad versions', () => {
    const m = jsonMapper({ idField: 'id', versionFrom: 'field', versionField: 'v' });
    expect(() => m(record(Buffer.from('nope')))).toThrow(
      expect.objectContaining({ errorType: 'decode_error' }),
    );
    expect(() => m(record(Buffer.from('[1]')))).toThrow(
      expect.objectContaining({ errorType: 'decode_error' }),
    );
    expect(() => m(record(Buffer.from('{"v":1}')))).toThrow(
      expect.objectContaining({ errorType: 'missing_id' }),
    );
    expect(() => m(record(Buffer.from('{"id":"a","v":-1}')))).toThrow(
      expect.objectContaining({ errorType: 'invalid_version' }),
    );
  });
});

describe('windowResultTemplate', () => {
  it('describes daily clickstream-metrics indices joining the alias', () => {
    expect(windowResultTemplate()).toMatchObject({
      name: 'clickstream-metrics',
      indexPatterns: ['clickstream-metrics-*'],
      alias: 'clickstream-metrics',
      shards: 1,
      replicas: 0,
      refreshInterval: '30s',
    });
    expect(windowResultTemplate().mappings).toBe(WINDOW_DOCUMENT_MAPPINGS);
    expect(windowResultTemplate({ base: 'm', replicas: 1 })).toMatchObject({
      name: 'm',
      indexPatterns: ['m-*'],
      alias: 'm',
      replicas: 1,
    });
  });
});
