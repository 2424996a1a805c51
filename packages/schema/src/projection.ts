import { decodeClickstreamEvent } from './clickstream-event.js';
import { describeValue } from './describe-value.js';
import { InternedStrings } from './interned-strings.js';
import { checkUtf8, stringAt } from './utf8-range.js';
import { WireCursor, readInt64, readVarint32, skipField, wireFail } from './wire-cursor.js';
import type { ClickstreamEvent, ClickstreamProjection } from './types.js';
import type { ClickstreamStringField } from './validation.js';

/**
 * Field-projection decoder for ClickstreamEvent: builds only user_id (1), page_url (2), timestamp (3),
 * event_type (4) and event_id (5) and skips every other field without building it — but checks what it skips
 * exactly as the generated full decoder does (wire types, lengths, group nesting, and valid UTF-8 in the string
 * fields 6–10), so for every byte string it accepts iff decodeClickstreamEvent accepts, with the same five values.
 * A rejected input is decoded once more by the full decoder, so the error (code and reason text) is the full
 * decoder's own: dead-letter records do not depend on which decoder ran.
 */

const CLICK = 'CLICK';
/** page_url values repeat (a site has far fewer pages than events): decoded once per distinct value. */
const pageUrls = new InternedStrings();
const VIEW = 'VIEW';
/** Field numbers of the string fields the full decoder builds (UTF-8 checked) and the projection skips. */
const FIRST_SKIPPED_STRING = 6;
const LAST_SKIPPED_STRING = 10;
/** Proto names of the skipped string fields, by field number. */
const SKIPPED_STRING_NAMES: Readonly<Record<number, ClickstreamStringField>> = {
  6: 'session_id',
  7: 'referrer',
  8: 'user_agent',
  9: 'device',
  10: 'country',
};

/** Byte limits of the skipped string fields by field number (no limit: Infinity). */
type SkippedLimits = readonly number[];
const NO_LIMITS: SkippedLimits = Array.from({ length: LAST_SKIPPED_STRING + 1 }, () => Infinity);

function skippedLimits(
  maxFieldBytes: Partial<Record<ClickstreamStringField, number>> | undefined,
): SkippedLimits {
  if (maxFieldBytes === undefined) return NO_LIMITS;
  return NO_LIMITS.map((none, field) => {
    const name = SKIPPED_STRING_NAMES[field];
    return name === undefined ? none : (maxFieldBytes[name] ?? none);
  });
}

/** Thrown by the scan when a skipped string field is over its byte limit (the caller decodes fully instead). */
const OVERSIZED_SKIPPED_FIELD = Symbol('oversized skipped field');

/** event_type: the interned constants for the two expected values, without building a string. */
function eventTypeAt(buf: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (
    len === 5 &&
    buf[start] === 67 &&
    buf[start + 1] === 76 &&
    buf[start + 2] === 73 &&
    buf[start + 3] === 67 &&
    buf[start + 4] === 75
  ) {
    return CLICK;
  }
  if (
    len === 4 &&
    buf[start] === 86 &&
    buf[start + 1] === 73 &&
    buf[start + 2] === 69 &&
    buf[start + 3] === 87
  ) {
    return VIEW;
  }
  return stringAt(buf, start, end);
}

/**
 * The projection itself (internal; exported for the differential tests). Throws its own
 * TRIB_SCHEMA_DECODE_FAILED on exactly the inputs the full decoder rejects; the reason text is its own. Throws
 * OVERSIZED_SKIPPED_FIELD when a skipped string field is over its limit in `limits`.
 */
export function scanClickstreamProjection(
  bytes: Uint8Array,
  limits: SkippedLimits = NO_LIMITS,
): ClickstreamProjection {
  if (!(bytes instanceof Uint8Array)) wireFail(`expected a Uint8Array, got ${describeValue(bytes)}`);
  const buf = bytes;
  const end = bytes.length;
  // Single-byte tags and lengths (the common case) are read inline; everything else goes through the helpers.
  const c = new WireCursor(bytes, end);
  let pos = 0;
  let userId = '';
  let pageUrl = '';
  let timestamp = 0;
  let eventType = '';
  let eventId = '';
  while (pos < end) {
    let tag = buf[pos]!;
    if (tag < 0x80) pos++;
    else {
      c.pos = pos;
      tag = readVarint32(c, false);
      pos = c.pos;
    }
    const wireType = tag & 7;
    const field = tag >>> 3;
    if (field === 0) wireFail(`illegal tag: field number 0 at offset ${pos}`);
    if (wireType === 2) {
      let len = pos < end ? buf[pos]! : 0x80;
      if (len < 0x80) pos++;
      else {
        c.pos = pos;
        len = readVarint32(c, true);
        pos = c.pos;
      }
      const stop = pos + len;
      if (stop > end) wireFail(`index out of range: ${pos} + ${len} > ${end}`);
      if (field === 2) pageUrl = pageUrls.stringAt(buf, pos, stop);
      else if (field === 4) eventType = eventTypeAt(buf, pos, stop);
      else if (field === 5) eventId = stringAt(buf, pos, stop);
      else if (field === 1) userId = stringAt(buf, pos, stop);
      else if (field >= FIRST_SKIPPED_STRING && field <= LAST_SKIPPED_STRING) {
        checkUtf8(buf, pos, stop);
        if (len > limits[field]!) throw OVERSIZED_SKIPPED_FIELD;
      }
      pos = stop;
      continue;
    }
    c.pos = pos;
    if (wireType === 0 && field === 3) timestamp = readInt64(c);
    else skipField(c, wireType, field);
    pos = c.pos;
  }
  return { userId, pageUrl, timestamp, eventType, eventId };
}

/**
 * Decodes only the fields the clickstream job needs (absent fields are '' / 0), with the full decoder's verdict:
 * accepts exactly the inputs decodeClickstreamEvent accepts, and rejects the others with the same error.
 *
 * `maxFieldBytes` (the validator's limits, e.g. `FIELD_BYTE_LIMITS`): when a field the projection skips is larger
 * than its limit, the whole event is decoded (every field present), so that the validator sees the oversized field
 * and rejects it exactly as it does after the full decoder. On a hot path use `createProjectionDecoder`, which
 * resolves the limits once.
 * @throws SchemaError TRIB_SCHEMA_DECODE_FAILED when the bytes are not a valid encoding.
 */
export function decodeClickstreamProjection(
  bytes: Uint8Array,
  maxFieldBytes?: Partial<Record<ClickstreamStringField, number>>,
): ClickstreamProjection {
  return createProjectionDecoder(maxFieldBytes)(bytes);
}

/** `decodeClickstreamProjection` with `maxFieldBytes` resolved once. */
export function createProjectionDecoder(
  maxFieldBytes?: Partial<Record<ClickstreamStringField, number>>,
): (bytes: Uint8Array) => ClickstreamProjection {
  const limits = skippedLimits(maxFieldBytes);
  return (bytes) => {
    try {
      return scanClickstreamProjection(bytes, limits);
    } catch (error) {
      if (error === OVERSIZED_SKIPPED_FIELD)
        return fullIfOversized(decodeClickstreamEvent(bytes), maxFieldBytes!);
      // Rare path (malformed input): let the full decoder throw, so the reason text is exactly its own.
      return project(decodeClickstreamEvent(bytes));
    }
  };
}

/**
 * After a skipped field was over its limit somewhere in the bytes: the full event when the value it keeps (the last
 * occurrence, proto3's rule) is still over the limit — so the validator sees it — else the five projected fields.
 */
function fullIfOversized(
  e: ClickstreamEvent,
  maxFieldBytes: Partial<Record<ClickstreamStringField, number>>,
): ClickstreamProjection {
  const skipped = [e.sessionId, e.referrer, e.userAgent, e.device, e.country];
  for (let i = 0; i < skipped.length; i++) {
    const limit = maxFieldBytes[SKIPPED_STRING_NAMES[FIRST_SKIPPED_STRING + i]!];
    if (limit !== undefined && Buffer.byteLength(skipped[i]!, 'utf8') > limit) return e;
  }
  return project(e);
}

function project(e: ClickstreamEvent): ClickstreamProjection {
  return {
    userId: e.userId,
    pageUrl: e.pageUrl,
    timestamp: e.timestamp,
    eventType: e.eventType,
    eventId: e.eventId,
  };
}
