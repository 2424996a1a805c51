/**
 * What a JSON body must be besides JSON: strict UTF-8, and strings without lone surrogates (`"\ud800"` parses, but
 * no UTF-8 encoding of it exists: Kafka would get U+FFFD instead and the processor would dead-letter the event).
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

export type DecodedText = { ok: true; text: string } | { ok: false; text: string; offset: number };

/**
 * Decodes a body as strict UTF-8. When it is not, `text` is the lenient decoding (U+FFFD for each bad sequence),
 * for finding the fields they are in, and `offset` is the byte of the first bad sequence.
 */
export function decodeUtf8Body(body: Uint8Array): DecodedText {
  try {
    return { ok: true, text: strictUtf8.decode(body) };
  } catch {
    return { ok: false, text: lenientUtf8.decode(body), offset: firstInvalidUtf8(body) };
  }
}

/** Byte offset of the first sequence that is not UTF-8 (the body's length when there is none). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const [length, min, max] =
      b < 0x80
        ? [1, 0, 0]
        : b >= 0xc2 && b <= 0xdf
          ? [2, 0x80, 0xbf]
          : b === 0xe0
            ? [3, 0xa0, 0xbf]
            : b === 0xed
              ? [3, 0x80, 0x9f]
              : b >= 0xe1 && b <= 0xef
                ? [3, 0x80, 0xbf]
                : b === 0xf0
                  ? [4, 0x90, 0xbf]
                  : b >= 0xf1 && b <= 0xf3
                    ? [4, 0x80, 0xbf]
                    : b === 0xf4
                      ? [4, 0x80, 0x8f]
                      : [0, 0, 0];
    if (length === 0 || i + length > bytes.length) return i;
    if (length > 1) {
      const second = bytes[i + 1]!;
      if (second < min || second > max) return i;
      for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return bytes.length;
}

const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * The first top-level field of a JSON event whose string value has a lone surrogate, or (with `replaced`) a U+FFFD
 * that stands for bytes that were not UTF-8; undefined when every string is fine.
 */
export function illFormedField(item: unknown, replaced = false): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    if (!isWellFormed(value) || (replaced && value.includes('\ufffd'))) return key;
  }
  return undefined;
}
