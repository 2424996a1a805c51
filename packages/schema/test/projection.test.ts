import { describe, expect, it } from 'vitest';
import { decodeClickstreamEvent, encodeClickstreamEvent } from '../src/clickstream-event.js';
import { SchemaErrorCodes } from '../src/errors.js';
import { decodeClickstreamProjection, scanClickstreamProjection } from '../src/projection.js';
import type { ClickstreamEvent, ClickstreamProjection } from '../src/types.js';
import {
  decodeAndValidateClickstreamEvent,
  decodeAndValidateClickstreamProjection,
  type ValidateOptions,
} from '../src/validation.js';
import { randomEvent, rng, sampleEvent } from './helpers/events.js';
import {
  BYTE_MUTATIONS,
  CHUNK_MUTATIONS,
  concat as joinChunks,
  eventChunks,
} from './helpers/wire-mutations.js';

function project(e: ClickstreamEvent): ClickstreamProjection {
  return {
    userId: e.userId,
    pageUrl: e.pageUrl,
    timestamp: e.timestamp,
    eventType: e.eventType,
    eventId: e.eventId,
  };
}

interface Outcome {
  ok: boolean;
  value?: unknown;
  code?: string;
  reason?: string;
}

function outcome(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    const e = err as { code?: string; reason?: string };
    return { ok: false, code: e.code ?? 'not a SchemaError', reason: e.reason ?? String(err) };
  }
}

/**
 * The projection's contract: it accepts iff the full decoder accepts, with the same five fields, and rejects with
 * the same error (code and reason). The internal scan must get the verdict and code right on its own (the exported
 * decoder only borrows the full decoder's reason text on the error path).
 */
function expectAgreement(bytes: Uint8Array): 'ok' | 'error' {
  const full = outcome(() => decodeClickstreamEvent(bytes));
  const scan = outcome(() => scanClickstreamProjection(bytes));
  const projected = outcome(() => decodeClickstreamProjection(bytes));
  const expected = full.ok ? { ok: true, value: project(full.value as ClickstreamEvent) } : full;
  expect({ ok: scan.ok, code: scan.code, value: scan.value }).toEqual({
    ok: expected.ok,
    code: expected.code,
    value: expected.value,
  });
  expect(projected).toEqual(expected);
  return full.ok ? 'ok' : 'error';
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let pos = 0;
  for (const a of arrays) {
    out.set(a, pos);
    pos += a.length;
  }
  return out;
}

describe('decodeClickstreamProjection', () => {
  it('reads the five projected fields', () => {
    const event = sampleEvent();
    expect(decodeClickstreamProjection(encodeClickstreamEvent(event))).toEqual(project(event));
  });

  it('returns interned CLICK / VIEW and other event types verbatim', () => {
    for (const eventType of ['CLICK', 'VIEW', 'CLICKS', 'VIE', 'purchase', '']) {
      expect(decodeClickstreamProjection(encodeClickstreamEvent({ eventType })).eventType).toBe(eventType);
    }
  });

  it('agrees with the full decoder on 2000 generated events', () => {
    const next = rng(42);
    for (let i = 0; i < 2000; i++)
      expect(expectAgreement(encodeClickstreamEvent(randomEvent(next)))).toBe('ok');
  });

  it('decodes negative and 2^53-range int64 timestamps exactly', () => {
    for (const timestamp of [
      -1,
      -1_700_000_000_000,
      Number.MIN_SAFE_INTEGER,
      2 ** 32,
      2 ** 35 + 7,
      Number.MAX_SAFE_INTEGER,
    ]) {
      expect(decodeClickstreamProjection(encodeClickstreamEvent({ timestamp })).timestamp).toBe(timestamp);
    }
  });

  it('skips unknown fields of every wire type (varint, fixed64, bytes, group, fixed32) like the full decoder', () => {
    const unknown = concat(
      [0xa0, 0x06, 0xff, 0xff, 0x03], // field 100 varint
      [0xa9, 0x06, 1, 2, 3, 4, 5, 6, 7, 8], // field 101 fixed64
      [0xb2, 0x06, 0x03, 0x61, 0x62, 0x63], // field 102 bytes "abc"
      [0xbb, 0x06, 0x08, 0x01, 0xbc, 0x06], // field 103 group { field 1 varint 1 }
      [0xc5, 0x06, 9, 9, 9, 9], // field 104 fixed32
    );
    const event = encodeClickstreamEvent(sampleEvent());
    for (const bytes of [
      concat(unknown, event),
      concat(event, unknown),
      concat(event.subarray(0, 9), unknown, event.subarray(9)),
    ]) {
      expect(expectAgreement(bytes)).toBe('ok');
      expect(decodeClickstreamProjection(bytes)).toEqual(project(sampleEvent()));
    }
  });

  it('treats a known field number with an unexpected wire type as unknown, like the full decoder', () => {
    // field 2 (page_url) as varint, field 3 (timestamp) as length-delimited
    const bytes = concat([0x10, 0x05, 0x1a, 0x01, 0x41], encodeClickstreamEvent({ userId: 'u' }));
    expect(expectAgreement(bytes)).toBe('ok');
    expect(decodeClickstreamProjection(bytes)).toMatchObject({ pageUrl: '', timestamp: 0, userId: 'u' });
  });

  it('keeps the last value of a repeated scalar field (proto3 merge rule)', () => {
    const bytes = concat(
      encodeClickstreamEvent({ pageUrl: '/a', timestamp: 5 }),
      encodeClickstreamEvent({ pageUrl: '/b' }),
    );
    expect(expectAgreement(bytes)).toBe('ok');
    expect(decodeClickstreamProjection(bytes)).toMatchObject({ pageUrl: '/b', timestamp: 5 });
  });

  it('rejects the same malformed inputs as the full decoder', () => {
    const cases = [
      [0x0a, 0x05, 0x61], // truncated string
      [0x18], // truncated varint
      [0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // 11-byte varint
      [0x0f], // wire type 7
      [0x0c], // end group without start
      [0x00, 0x01], // field number 0
      [0x12, 0x02, 0xc3, 0x28], // invalid UTF-8 in page_url
      [0xa9, 0x06, 1, 2, 3], // truncated fixed64 (unknown field)
      [0xbb, 0x06, 0x08, 0x01], // unterminated group
      [0xbb, 0x06, 0xc4, 0x06], // mismatched end group
    ];
    for (const bytes of cases) expect(expectAgreement(Uint8Array.from(bytes))).toBe('error');
  });

  it('agrees with the full decoder on 3000 randomly corrupted events', () => {
    const next = rng(99);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 3000; i++) {
      const bytes = encodeClickstreamEvent(randomEvent(next)).slice();
      if (bytes.length === 0) continue;
      const mutation = next();
      if (mutation < 0.4) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      else if (mutation < 0.7) bytes[Math.floor(next() * bytes.length)]! ^= 1 << Math.floor(next() * 8);
      const cut = mutation >= 0.7 ? Math.floor(next() * bytes.length) : bytes.length;
      outcomes[expectAgreement(bytes.subarray(0, cut))]++;
    }
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });

  it("rejects invalid UTF-8 in a skipped string field with the full decoder's error", () => {
    for (const field of [0x32, 0x3a, 0x42, 0x4a, 0x52]) {
      // session_id, referrer, user_agent, device, country: short (JS scan) and long (native check) values
      for (const value of [
        [0xc3, 0x28],
        [...Array<number>(40).fill(0x61), 0xed, 0xa0, 0x80],
      ]) {
        const bytes = concat(encodeClickstreamEvent(sampleEvent()), [field, value.length], value);
        expect(expectAgreement(bytes)).toBe('error');
      }
    }
  });

  it('does not check UTF-8 of bytes that are not a string field (unknown field, timestamp as bytes)', () => {
    for (const prefix of [[0x5a], [0x1a], [0xb2, 0x06]]) {
      const bytes = concat(encodeClickstreamEvent(sampleEvent()), prefix, [2, 0xc3, 0x28]);
      expect(expectAgreement(bytes)).toBe('ok');
    }
  });

  it('keeps a leading byte order mark in a string, like the full decoder', () => {
    const bytes = encodeClickstreamEvent(sampleEvent({ userId: '\uFEFF', pageUrl: '\uFEFF/p' }));
    expect(expectAgreement(bytes)).toBe('ok');
    expect(decodeClickstreamProjection(bytes)).toMatchObject({ userId: '\uFEFF', pageUrl: '\uFEFF/p' });
  });

  it("rejects with exactly the full decoder's code and reason (dead-letter headers do not depend on the decoder)", () => {
    const bytes = Uint8Array.from([0x0a, 0x05, 0x61]);
    let fullError: unknown;
    try {
      decodeClickstreamEvent(bytes);
    } catch (err) {
      fullError = err;
    }
    expect(fullError).toMatchObject({ code: SchemaErrorCodes.DECODE_FAILED });
    expect(() => decodeClickstreamProjection(bytes)).toThrow(
      expect.objectContaining({
        code: (fullError as { code: string }).code,
        reason: (fullError as { reason: string }).reason,
      }),
    );
  });

  it('rejects over-long tags and lengths like protobufjs', () => {
    for (const bytes of [
      [0x80, 0x80, 0x80, 0x80, 0x10, 0x00], // tag with bits above 2^32
      [0x0a, 0x80, 0x80, 0x80, 0x80, 0x08], // length >= 2^31
    ]) {
      expect(expectAgreement(Uint8Array.from(bytes))).toBe('error');
    }
  });

  it('decodes views with a non-zero byteOffset (Buffer pool slices, kafkajs message values)', () => {
    const bytes = encodeClickstreamEvent(sampleEvent({ pageUrl: '/a-page-url-longer-than-sixteen-bytes' }));
    const pool = new Uint8Array(bytes.length + 64).fill(0xff);
    pool.set(bytes, 37);
    const view = pool.subarray(37, 37 + bytes.length);
    expect(decodeClickstreamProjection(view)).toEqual(project(decodeClickstreamEvent(bytes)));
    expect(decodeClickstreamProjection(Buffer.from(pool.buffer, 37, bytes.length))).toEqual(
      project(decodeClickstreamEvent(bytes)),
    );
  });

  it('decodes the whole event when a skipped field is over its limit, and only the last occurrence counts', () => {
    const limits = { referrer: 10 };
    const long = encodeClickstreamEvent(sampleEvent({ referrer: 'https://example.com/a-long-referrer' }));
    expect(decodeClickstreamProjection(long, limits)).toEqual(
      decodeClickstreamEvent(long), // every field, so the validator sees the oversized referrer
    );
    // The same field again, short: proto3 keeps the last value, which is within the limit → projected fields only.
    const shortAfter = Buffer.concat([long, encodeClickstreamEvent({ referrer: 'https://x' })]);
    expect(decodeClickstreamProjection(shortAfter, limits)).toEqual(
      project(decodeClickstreamEvent(shortAfter)),
    );
    expect(decodeAndValidateClickstreamProjection(shortAfter, { maxFieldBytes: limits }).ok).toBe(true);
    const rejected = decodeAndValidateClickstreamProjection(long, { maxFieldBytes: limits });
    expect(
      rejected.ok ? undefined : [rejected.error.code, rejected.error.field, rejected.error.reason],
    ).toEqual([
      SchemaErrorCodes.FIELD_TOO_LARGE,
      'referrer',
      'referrer is 35 bytes, over the limit of 10 bytes',
    ]);
  });

  it('rejects a non-Uint8Array input', () => {
    expect(() => decodeClickstreamProjection([1, 2] as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.DECODE_FAILED }),
    );
  });
});

describe('decodeClickstreamProjection vs decode + validate (differential, seeded)', () => {
  const NOW = 1_700_000_000_000 + 5e9;

  /** Same dead-letter verdict: both accept the same projected event, or both reject with the same code and reason. */
  function expectSameVerdict(bytes: Uint8Array, options: ValidateOptions = {}): string {
    const full = decodeAndValidateClickstreamEvent(bytes, { nowMs: NOW, ...options });
    const fast = decodeAndValidateClickstreamProjection(bytes, { nowMs: NOW, ...options });
    if (full.ok) {
      expect(fast).toEqual({ ok: true, event: project(full.event) });
      return 'accepted';
    }
    expect(fast.ok).toBe(false);
    expect(fast.ok ? undefined : { code: fast.error.code, reason: fast.error.reason }).toEqual({
      code: full.error.code,
      reason: full.error.reason,
    });
    return full.error.code;
  }

  /** Valid events: the full schema's ten fields, or only the seed's four (user_id, page_url, timestamp, event_type). */
  function validEvent(next: () => number): Partial<ClickstreamEvent> {
    const e = randomEvent(next);
    if (next() < 0.3)
      return { userId: e.userId, pageUrl: e.pageUrl, timestamp: e.timestamp, eventType: e.eventType };
    return e;
  }

  /** Bytes as kafkajs hands them over (a Buffer view into a larger pool) or as a plain Uint8Array. */
  function asInput(next: () => number, bytes: Uint8Array): Uint8Array {
    if (next() < 0.5) return bytes;
    const pool = Buffer.alloc(bytes.length + 16, 0xff);
    pool.set(bytes, 7);
    return pool.subarray(7, 7 + bytes.length);
  }

  const chunkKinds = Object.keys(CHUNK_MUTATIONS);
  const byteKinds = Object.keys(BYTE_MUTATIONS);

  it('gives the same verdict and code on 8000 mutated events (structural and byte-level, 1-3 mutations each)', () => {
    const next = rng(0x7a1b);
    const byKind = new Map<string, Set<string>>();
    const verdicts = new Map<string, number>();
    for (let i = 0; i < 8000; i++) {
      let chunks = eventChunks(validEvent(next), next, next() < 0.3);
      const kinds: string[] = [];
      const structural = Math.floor(next() * 3);
      for (let k = 0; k < structural; k++) {
        const kind = chunkKinds[Math.floor(next() * chunkKinds.length)]!;
        chunks = CHUNK_MUTATIONS[kind]!(next, chunks);
        kinds.push(kind);
      }
      let bytes = joinChunks(chunks);
      if (structural === 0 || next() < 0.3) {
        const kind = byteKinds[Math.floor(next() * byteKinds.length)]!;
        bytes = BYTE_MUTATIONS[kind]!(next, bytes);
        kinds.push(kind);
      }
      const input = asInput(next, bytes);
      expectAgreement(input);
      const verdict = expectSameVerdict(input);
      verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
      for (const kind of kinds) byKind.set(kind, (byKind.get(kind) ?? new Set()).add(verdict));
    }
    // Every mutation kind was exercised (decoded and rejected where it can be), and the run covers acceptance, decode
    // failures and each validation failure.
    expect([...byKind.keys()].sort()).toEqual([...chunkKinds, ...byteKinds].sort());
    for (const [kind, seen] of byKind) {
      if (
        kind !== 'field number 0' &&
        kind !== 'invalid wire type or end group' &&
        kind !== 'mismatched group end'
      )
        expect({ kind, decoded: [...seen].some((v) => v !== SchemaErrorCodes.DECODE_FAILED) }).toEqual({
          kind,
          decoded: true,
        });
      expect({ kind, rejected: seen.has(SchemaErrorCodes.DECODE_FAILED) }).toEqual({ kind, rejected: true });
    }
    for (const code of [
      'accepted',
      SchemaErrorCodes.DECODE_FAILED,
      SchemaErrorCodes.MISSING_FIELD,
      SchemaErrorCodes.TIMESTAMP_OUT_OF_RANGE,
      SchemaErrorCodes.INVALID_EVENT_TYPE,
    ]) {
      expect(verdicts.get(code) ?? 0).toBeGreaterThan(0);
    }
  });

  it('gives the same verdict on random byte strings', () => {
    const next = rng(0xb17e5);
    for (let i = 0; i < 5000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(next() * 24) }, () => Math.floor(next() * 256));
      expectAgreement(bytes);
      expectSameVerdict(bytes);
    }
  });

  it('gives the same verdict with small field byte limits: oversized projected and skipped fields, repeated ones', () => {
    // Limits the random events cross often, in every string field, so both paths reject for size (and accept
    // events whose earlier, oversized occurrence of a field is replaced by a small last one).
    const maxFieldBytes = {
      user_id: 8,
      page_url: 40,
      event_type: 5,
      event_id: 20,
      session_id: 12,
      referrer: 50,
      user_agent: 60,
      device: 4,
      country: 2,
    };
    const next = rng(0x5153);
    const verdicts = new Map<string, number>();
    const oversizedFields = new Set<string>();
    for (let i = 0; i < 4000; i++) {
      let chunks = eventChunks(validEvent(next), next, next() < 0.3);
      if (next() < 0.3) chunks = CHUNK_MUTATIONS['repeated field (last wins)']!(next, chunks);
      const input = asInput(next, joinChunks(chunks));
      const verdict = expectSameVerdict(input, { maxFieldBytes });
      verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
      const full = decodeAndValidateClickstreamEvent(input, { nowMs: NOW, maxFieldBytes });
      if (!full.ok && full.error.code === SchemaErrorCodes.FIELD_TOO_LARGE)
        oversizedFields.add(full.error.field!);
    }
    expect(verdicts.get('accepted') ?? 0).toBeGreaterThan(0);
    expect(verdicts.get(SchemaErrorCodes.FIELD_TOO_LARGE) ?? 0).toBeGreaterThan(0);
    // Both projected (page_url, user_id, event_id) and skipped (referrer, user_agent, …) fields were rejected.
    for (const field of ['user_id', 'page_url', 'event_id', 'referrer', 'user_agent'])
      expect(oversizedFields).toContain(field);
  });
});
