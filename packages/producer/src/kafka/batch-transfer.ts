/**
 * The hand-over format of a batch from the main thread to a sender thread: one ArrayBuffer (transferred, not copied)
 * holding every record as `partition u32 | key length u16 | value length u32 | key bytes | value bytes`, plus the
 * records' headers when they carry any (structured-cloned). The sender thread cuts Buffer views out of it for
 * kafkajs, so a record's bytes are copied once, into the buffer.
 */
export interface TransferBatch {
  count: number;
  buffer: ArrayBuffer;
  /** One entry per record when any record has headers; else undefined. */
  headers: (Record<string, string> | undefined)[] | undefined;
}

/** A record as the sender thread sees it: views into the transferred buffer. */
export interface TransferredRecord {
  partition: number;
  key: Buffer;
  value: Buffer;
  headers: Record<string, string> | undefined;
}

/** What packBatch reads of each record. */
export interface PackableRecord {
  partition: number;
  key: string;
  value: Uint8Array;
  headers: Record<string, string> | undefined;
}

const RECORD_HEADER_BYTES = 10;
const MAX_KEY_BYTES = 0xffff;

/** Packs records into one transferable buffer; `keyBytes` gives a key's UTF-8 bytes (cached by the caller). */
export function packBatch(
  records: readonly PackableRecord[],
  keyBytes: (key: string) => Uint8Array,
): TransferBatch {
  let size = 0;
  let anyHeaders = false;
  const keys = new Array<Uint8Array>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const k = keyBytes(r.key);
    if (k.length > MAX_KEY_BYTES)
      throw new RangeError(`record key of ${k.length} bytes exceeds ${MAX_KEY_BYTES}`);
    keys[i] = k;
    size += RECORD_HEADER_BYTES + k.length + r.value.length;
    if (r.headers !== undefined) anyHeaders = true;
  }
  const buffer = new ArrayBuffer(size);
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  let pos = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const k = keys[i]!;
    view.setUint32(pos, r.partition, true);
    view.setUint16(pos + 4, k.length, true);
    view.setUint32(pos + 6, r.value.length, true);
    pos += RECORD_HEADER_BYTES;
    bytes.set(k, pos);
    pos += k.length;
    bytes.set(r.value, pos);
    pos += r.value.length;
  }
  return { count: records.length, buffer, headers: anyHeaders ? records.map((r) => r.headers) : undefined };
}

/** The records of a packed batch, as Buffer views into its buffer (no copies). */
export function unpackBatch(batch: TransferBatch): TransferredRecord[] {
  const view = new DataView(batch.buffer);
  const out = new Array<TransferredRecord>(batch.count);
  let pos = 0;
  for (let i = 0; i < batch.count; i++) {
    if (pos + RECORD_HEADER_BYTES > batch.buffer.byteLength) throw new RangeError('truncated batch buffer');
    const partition = view.getUint32(pos, true);
    const keyLength = view.getUint16(pos + 4, true);
    const valueLength = view.getUint32(pos + 6, true);
    pos += RECORD_HEADER_BYTES;
    if (pos + keyLength + valueLength > batch.buffer.byteLength)
      throw new RangeError('truncated batch buffer');
    const key = Buffer.from(batch.buffer, pos, keyLength);
    pos += keyLength;
    const value = Buffer.from(batch.buffer, pos, valueLength);
    pos += valueLength;
    out[i] = { partition, key, value, headers: batch.headers?.[i] };
  }
  if (pos !== batch.buffer.byteLength) throw new RangeError('batch buffer has trailing bytes');
  return out;
}
