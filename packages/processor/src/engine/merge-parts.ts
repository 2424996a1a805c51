import type { Codec } from '../state/codec.js';
import { ByteReader, ByteWriter } from '../state/binary.js';

/**
 * The merge's content of one (key, window): the latest cumulative partial (serialized accumulator bytes) of each
 * upstream partition that sent one.
 */
export type Parts = Map<number, Buffer>;

/**
 * Format 2 (written), big-endian: `u8 2 | u32 count | count × (u32 upstream | u32 bytes | accumulator)`, upstreams
 * ascending. Format 1 (read: a changelog written by the previous version restores after an upgrade in place):
 * UTF-8 JSON `{"<upstream>": "<base64 accumulator>", …}`. Malformed values throw (`TRIB_PROC_STATE_CORRUPT` from the
 * store).
 */
export const PARTS_FORMAT_VERSION = 2;

function corrupt(reason: string): Error {
  return new Error(`merge parts: ${reason}`);
}

/** Upstream partitions in ascending order: the merge order of the parts, the same live and after a restore. */
export function upstreamsOf(parts: Parts): number[] {
  return [...parts.keys()].sort((a, b) => a - b);
}

export const partsCodec: Codec<Parts> = {
  encode(parts) {
    let size = 5;
    for (const b of parts.values()) size += 8 + b.length;
    const w = new ByteWriter(size).u8(PARTS_FORMAT_VERSION).u32(parts.size);
    for (const u of upstreamsOf(parts)) w.u32(u).blob(parts.get(u)!);
    return w.done();
  },
  decode(b) {
    if (b[0] !== PARTS_FORMAT_VERSION) return decodeJson(b);
    const r = new ByteReader(b, corrupt, 1);
    const parts: Parts = new Map();
    for (let i = r.u32('count'); i > 0; i--) {
      const u = r.u32('upstream');
      parts.set(u, r.blob('accumulator'));
    }
    r.end();
    return parts;
  },
};

/** Format 1: the JSON written before format 2. */
function decodeJson(b: Buffer): Parts {
  const j = JSON.parse(b.toString('utf8')) as unknown;
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw corrupt('not a format-1 object');
  const parts: Parts = new Map();
  for (const [u, a] of Object.entries(j)) {
    const n = Number(u);
    if (!Number.isInteger(n) || n < 0 || String(n) !== u || typeof a !== 'string')
      throw corrupt(`bad format-1 part ${JSON.stringify(u)}`);
    parts.set(n, Buffer.from(a, 'base64'));
  }
  return parts;
}
