import { describe, expect, it } from 'vitest';
import { bodyFormatOf, joinDelimited, splitDelimited } from '../../src/gateway/request-body.js';

describe('bodyFormatOf', () => {
  it('maps content types onto body formats', () => {
    expect(bodyFormatOf('application/json')).toBe('json');
    expect(bodyFormatOf('application/json; charset=utf-8')).toBe('json');
    expect(bodyFormatOf('application/x-protobuf')).toBe('protobuf');
    expect(bodyFormatOf('application/x-protobuf; delimited=true')).toBe('protobuf-delimited');
    expect(bodyFormatOf('Application/X-Protobuf;Delimited=True')).toBe('protobuf-delimited');
    expect(bodyFormatOf('application/x-protobuf; delimited=false')).toBe('protobuf');
    expect(bodyFormatOf('text/plain')).toBeUndefined();
    expect(bodyFormatOf(undefined)).toBeUndefined();
  });
});

describe('length-delimited framing', () => {
  it('round-trips messages, including empty ones and lengths over 127', () => {
    const messages = [
      new Uint8Array([1, 2, 3]),
      new Uint8Array(0),
      new Uint8Array(300).fill(7),
      new Uint8Array(20_000).fill(9),
    ];
    const joined = joinDelimited(messages);
    expect(joined[0]).toBe(3);
    expect(splitDelimited(joined).map((m) => Buffer.from(m))).toEqual(messages.map((m) => Buffer.from(m)));
  });

  it('rejects truncated frames', () => {
    expect(() => splitDelimited(new Uint8Array([5, 1, 2]))).toThrow(/declares 5 bytes/);
    expect(() => splitDelimited(new Uint8Array([0x80]))).toThrow(/truncated length prefix/);
  });
});
