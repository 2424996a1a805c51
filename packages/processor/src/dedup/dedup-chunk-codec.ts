/**
 * Changelog value of one dedup chunk (the ids of one event-time bucket checkpointed together):
 * `u8 version (1) | u32 count | count × (f64 firstTs | f64 offset | u32 idBytes | id UTF-8)`, big-endian; offsets
 * are exact below 2^53. A 16-byte value is the legacy one-id-per-record entry (`f64 firstTs | f64 offset`, the id
 * being the record key), still accepted on restore.
 */

export interface DedupChunkItem {
  readonly id: string;
  /** Event timestamp of the first accepted occurrence. */
  readonly t: number;
  /** Offset at which it was accepted. */
  readonly o: number;
}

const VERSION = 1;
const HEADER_BYTES = 5;
const LEGACY_BYTES = 16;
/** Fixed bytes per item besides the id itself. */
export const DEDUP_ITEM_OVERHEAD_BYTES = 20;

export function encodeDedupChunk(items: readonly DedupChunkItem[]): Buffer {
  let size = HEADER_BYTES;
  const ids: Buffer[] = new Array<Buffer>(items.length);
  for (let i = 0; i < items.length; i++) {
    const id = Buffer.from(items[i]!.id, 'utf8');
    ids[i] = id;
    size += DEDUP_ITEM_OVERHEAD_BYTES + id.length;
  }
  const b = Buffer.allocUnsafe(size);
  b.writeUInt8(VERSION, 0);
  b.writeUInt32BE(items.length, 1);
  let at = HEADER_BYTES;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const id = ids[i]!;
    b.writeDoubleBE(item.t, at);
    b.writeDoubleBE(item.o, at + 8);
    b.writeUInt32BE(id.length, at + 16);
    id.copy(b, at + DEDUP_ITEM_OVERHEAD_BYTES);
    at += DEDUP_ITEM_OVERHEAD_BYTES + id.length;
  }
  return b;
}

/** Decodes a chunk; `key` is the record key (the id of a legacy single-id entry). Throws RangeError when malformed. */
export function decodeDedupChunk(key: string, b: Buffer): DedupChunkItem[] {
  if (b.length === LEGACY_BYTES) return [{ id: key, t: b.readDoubleBE(0), o: b.readDoubleBE(8) }];
  if (b.length < HEADER_BYTES || b.readUInt8(0) !== VERSION) {
    throw new RangeError(`dedup chunk: unknown format (${b.length} bytes, version ${b[0] ?? 'none'})`);
  }
  const count = b.readUInt32BE(1);
  const items: DedupChunkItem[] = [];
  let at = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (at + DEDUP_ITEM_OVERHEAD_BYTES > b.length)
      throw new RangeError(`dedup chunk: truncated at item ${i}`);
    const t = b.readDoubleBE(at);
    const o = b.readDoubleBE(at + 8);
    const len = b.readUInt32BE(at + 16);
    const end = at + DEDUP_ITEM_OVERHEAD_BYTES + len;
    if (end > b.length) throw new RangeError(`dedup chunk: truncated id at item ${i}`);
    items.push({ id: b.toString('utf8', at + DEDUP_ITEM_OVERHEAD_BYTES, end), t, o });
    at = end;
  }
  if (at !== b.length) throw new RangeError(`dedup chunk: ${b.length - at} trailing bytes`);
  return items;
}
