/** The fault a record carries. `none` records are ordinary, in-order events. */
export const FaultKinds = {
  NONE: 'none',
  OUT_OF_ORDER: 'out-of-order',
  LATE: 'late',
  DUPLICATE: 'duplicate',
  MALFORMED: 'malformed',
} as const;
export type FaultKind = (typeof FaultKinds)[keyof typeof FaultKinds];
export const FAULT_KINDS: readonly FaultKind[] = Object.values(FaultKinds);

/**
 * How a malformed record is broken. The first two cannot be decoded as a ClickstreamEvent; the last two decode but
 * fail validation (missing page_url, an event_type that is neither CLICK nor VIEW).
 */
export const MalformedKinds = {
  TRUNCATED: 'truncated',
  BAD_WIRE_TYPE: 'bad-wire-type',
  MISSING_PAGE_URL: 'missing-page-url',
  BAD_EVENT_TYPE: 'bad-event-type',
} as const;
export type MalformedKind = (typeof MalformedKinds)[keyof typeof MalformedKinds];
export const MALFORMED_KINDS: readonly MalformedKind[] = Object.values(MalformedKinds);

/** Cuts a valid encoding inside its last length-delimited field: the decoder runs past the end. */
export function truncateEncoding(encoded: Uint8Array): Uint8Array {
  return encoded.slice(0, Math.max(1, encoded.length - 1));
}

/**
 * Prefixes a tag of unknown field 15 with wire type 7, which protobuf does not define: the decoder must skip the
 * unknown field and cannot (a known field number would be read by its declared type, ignoring the wire type).
 */
export function badWireTypeEncoding(encoded: Uint8Array): Uint8Array {
  const out = new Uint8Array(encoded.length + 1);
  out[0] = (15 << 3) | 7;
  out.set(encoded, 1);
  return out;
}
