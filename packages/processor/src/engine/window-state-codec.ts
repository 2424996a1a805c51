import { ByteReader, ByteWriter, utf8Size } from '../state/binary.js';

/**
 * Changelog value of one (key, window) entry of a windowed store: WindowSlots' slots (content + emission state)
 * and stage 1's partials (accumulator only, emission fields zero).
 *
 * Format 2 (written), big-endian: `u8 2 | u8 flags (1 fired, 2 closed) | u32 version | f64 start | f64 end |
 * u32 keyBytes | key UTF-8 | bytes` — the content or accumulator bytes as they are, to the end of the value.
 * Format 1 (read, so a changelog written by the previous version restores after an upgrade in place): UTF-8 JSON
 * `{"k":key,"s":start,"e":end,"v":version,"f":fired,"c":closed,"a":"<base64 bytes>"}` (partials: `k, s, e, a`).
 * Malformed values throw (the store reports `TRIB_PROC_STATE_CORRUPT`).
 */
export interface WindowState {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  /** Content (slots) or serialized accumulator (partials). */
  readonly bytes: Buffer;
  /** Version of the last emission (0 = never emitted). */
  readonly version: number;
  readonly fired: boolean;
  readonly closed: boolean;
}

export const WINDOW_STATE_FORMAT_VERSION = 2;
const FIRED = 1;
const CLOSED = 2;
const FIXED_BYTES = 22;

function corrupt(reason: string): Error {
  return new Error(`window state: ${reason}`);
}

export function encodeWindowState(s: WindowState): Buffer {
  return new ByteWriter(FIXED_BYTES + utf8Size(s.key) + s.bytes.length)
    .u8(WINDOW_STATE_FORMAT_VERSION)
    .u8((s.fired ? FIRED : 0) | (s.closed ? CLOSED : 0))
    .u32(s.version)
    .f64(s.start)
    .f64(s.end)
    .utf8(s.key)
    .bytes(s.bytes)
    .done();
}

export function decodeWindowState(b: Buffer): WindowState {
  if (b[0] !== WINDOW_STATE_FORMAT_VERSION) return decodeJson(b);
  const r = new ByteReader(b, corrupt, 1);
  const flags = r.u8('flags');
  if (flags > (FIRED | CLOSED)) throw corrupt(`unknown flags ${flags}`);
  const version = r.u32('version');
  const start = r.int('start');
  const end = r.int('end');
  const key = r.utf8('key');
  return {
    key,
    start,
    end,
    bytes: r.rest(),
    version,
    fired: (flags & FIRED) !== 0,
    closed: (flags & CLOSED) !== 0,
  };
}

/** Format 1: the JSON written before format 2. */
function decodeJson(b: Buffer): WindowState {
  const j = JSON.parse(b.toString('utf8')) as Record<string, unknown> | null;
  const { k, s, e, a, v = 0, f = false, c = false } = j ?? {};
  if (typeof k !== 'string' || typeof a !== 'string') throw corrupt('not a format-1 window entry');
  if (!Number.isSafeInteger(s) || !Number.isSafeInteger(e) || !Number.isSafeInteger(v))
    throw corrupt('format-1 bounds and version must be integers');
  if (typeof f !== 'boolean' || typeof c !== 'boolean') throw corrupt('format-1 flags must be booleans');
  return {
    key: k,
    start: s as number,
    end: e as number,
    bytes: Buffer.from(a, 'base64'),
    version: v as number,
    fired: f,
    closed: c,
  };
}
