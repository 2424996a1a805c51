import { describe, expect, it } from 'vitest';
import {
  decodeWindowState,
  encodeWindowState,
  WINDOW_STATE_FORMAT_VERSION,
  type WindowState,
} from '../../src/engine/window-state-codec.js';

const counts = Buffer.from('40000000000000003ff0000000000000', 'hex'); // { clickCount: 2, viewCount: 1 }

describe('window state changelog value', () => {
  it('writes format 2 (binary, content bytes as they are) and reads it back', () => {
    const s: WindowState = {
      key: '/home ü',
      start: -60_000,
      end: 0,
      bytes: counts,
      version: 7,
      fired: true,
      closed: false,
    };
    const bytes = encodeWindowState(s);
    expect(bytes[0]).toBe(WINDOW_STATE_FORMAT_VERSION);
    expect(bytes.subarray(bytes.length - counts.length)).toEqual(counts);
    expect(decodeWindowState(bytes)).toEqual(s);
    for (const [fired, closed] of [
      [false, false],
      [true, true],
    ] as const) {
      expect(decodeWindowState(encodeWindowState({ ...s, fired, closed }))).toEqual({ ...s, fired, closed });
    }
  });

  it('reads format 1 as the previous version wrote it: slots and stage-1 partials', () => {
    const window = { key: '/home', start: 0, end: 60_000, bytes: counts };
    const a = '"a":"QAAAAAAAAAA/8AAAAAAAAA=="';
    expect(
      decodeWindowState(Buffer.from(`{"k":"/home","s":0,"e":60000,"v":2,"f":true,"c":false,${a}}`)),
    ).toEqual({
      ...window,
      version: 2,
      fired: true,
      closed: false,
    });
    expect(decodeWindowState(Buffer.from(`{"k":"/home","s":0,"e":60000,${a}}`))).toEqual({
      ...window,
      version: 0,
      fired: false,
      closed: false,
    });
  });

  it('throws on malformed values of either format', () => {
    const good = encodeWindowState({
      key: 'k',
      start: 0,
      end: 1,
      bytes: Buffer.alloc(0),
      version: 1,
      fired: false,
      closed: false,
    });
    expect(() => decodeWindowState(good.subarray(0, 20))).toThrow(/truncated/);
    const flags = Buffer.from(good);
    flags[1] = 4;
    expect(() => decodeWindowState(flags)).toThrow(/unknown flags/);
    const start = Buffer.from(good);
    start.writeDoubleBE(0.5, 6);
    expect(() => decodeWindowState(start)).toThrow(/start must be an integer/);
    expect(() => decodeWindowState(Buffer.from('{"k":1}'))).toThrow(/not a format-1 window entry/);
    expect(() => decodeWindowState(Buffer.from('{"k":"k","s":0,"e":"1","a":""}'))).toThrow(/integers/);
    expect(() => decodeWindowState(Buffer.from('{"k":"k","s":0,"e":1,"f":1,"a":""}'))).toThrow(/booleans/);
    expect(() => decodeWindowState(Buffer.from('null'))).toThrow(/not a format-1/);
    expect(() => decodeWindowState(Buffer.from('nope'))).toThrow();
  });
});
