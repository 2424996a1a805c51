import { describe, expect, it } from 'vitest';
import { decodeUtf8Body, firstInvalidUtf8, illFormedField } from '../../src/gateway/json-text.js';

describe('decodeUtf8Body', () => {
  it('decodes UTF-8 and points at the first byte that is not', () => {
    expect(decodeUtf8Body(Buffer.from('{"a":"é€😀"}'))).toEqual({ ok: true, text: '{"a":"é€😀"}' });
    const bad = Buffer.concat([Buffer.from('{"a":"x'), Buffer.from([0xff]), Buffer.from('"}')]);
    expect(decodeUtf8Body(bad)).toEqual({ ok: false, text: '{"a":"x\ufffd"}', offset: 7 });
  });

  it('finds overlong forms, encoded surrogates and truncated sequences', () => {
    expect(firstInvalidUtf8(Buffer.from('abc'))).toBe(3);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong NUL
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // U+D800 encoded
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xe2, 0x82]))).toBe(2); // truncated €
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
    expect(firstInvalidUtf8(Buffer.from('é€😀'))).toBe(Buffer.byteLength('é€😀'));
  });
});

describe('illFormedField', () => {
  it('names the first field holding a lone surrogate, or a replacement character when bytes were bad', () => {
    expect(illFormedField(JSON.parse('{"user_id":"u","page_url":"/\\ud800"}'))).toBe('page_url');
    expect(illFormedField(JSON.parse('{"user_id":"\\udc00x"}'))).toBe('user_id');
    expect(illFormedField({ user_id: 'ok 😀', n: 5 })).toBeUndefined();
    expect(illFormedField({ page_url: '/\ufffd' })).toBeUndefined();
    expect(illFormedField({ page_url: '/\ufffd' }, true)).toBe('page_url');
    expect(illFormedField([1, 2])).toBeUndefined();
  });
});
