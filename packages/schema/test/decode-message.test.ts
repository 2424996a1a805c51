import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../src/decode-message.js';
import { SchemaErrorCodes } from '../src/errors.js';

describe('decodeMessage', () => {
  it('returns what the decoder returns', () => {
    const decoder = { decode: (bytes: Uint8Array) => ({ length: bytes.length }) };
    expect(decodeMessage(decoder, 'Thing', new Uint8Array([1, 2]))).toEqual({ length: 2 });
  });

  it('rejects a non-Uint8Array with DECODE_FAILED', () => {
    const decoder = { decode: () => ({}) };
    expect(() => decodeMessage(decoder, 'Thing', 'x' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.DECODE_FAILED }),
    );
  });

  it('wraps a decoder failure with the type name and the cause', () => {
    const failure = new Error('index out of range');
    const decoder = {
      decode: (): never => {
        throw failure;
      },
    };
    expect(() => decodeMessage(decoder, 'Thing', new Uint8Array([0xff]))).toThrow(
      expect.objectContaining({
        code: SchemaErrorCodes.DECODE_FAILED,
        message: expect.stringContaining('not a valid Thing: index out of range'),
        cause: failure,
      }),
    );
  });
});
