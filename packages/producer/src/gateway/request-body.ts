import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { InFlightReservation } from './in-flight-budget.js';

/** The body formats POST /v1/events understands. */
export const BodyFormats = {
  JSON: 'json',
  PROTOBUF: 'protobuf',
  PROTOBUF_DELIMITED: 'protobuf-delimited',
} as const;
export type BodyFormat = (typeof BodyFormats)[keyof typeof BodyFormats];

/**
 * `application/json` → json; `application/x-protobuf` → protobuf (one event), with `delimited=true` → a
 * length-delimited batch. Anything else → undefined (415).
 */
export function bodyFormatOf(contentType: string | undefined): BodyFormat | undefined {
  if (contentType === undefined) return undefined;
  const [type = '', ...params] = contentType.split(';').map((s) => s.trim().toLowerCase());
  if (type === 'application/json') return BodyFormats.JSON;
  if (type === 'application/x-protobuf' || type === 'application/protobuf') {
    const delimited = params.some((p) => p.replace(/\s+/g, '') === 'delimited=true');
    return delimited ? BodyFormats.PROTOBUF_DELIMITED : BodyFormats.PROTOBUF;
  }
  return undefined;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds maxBodyBytes (${limit} bytes)`);
  }
}

/** The body grew beyond what the in-flight byte budget could hold beside the other requests (429). */
export class BodyOverBudgetError extends Error {
  constructor(readonly reserved: number) {
    super(`request body beyond ${reserved} bytes does not fit in maxInFlightBytes beside what is in flight`);
  }
}

/** The client went away (or the request timed out and Node closed the connection) before the body ended. */
export class RequestAbortedError extends Error {
  constructor() {
    super('the connection closed before the request body ended');
  }
}

/** The Content-Length header as a number; undefined without one (a chunked body). */
export function declaredBodyLength(headers: IncomingHttpHeaders): number | undefined {
  const header = headers['content-length'];
  if (header === undefined) return undefined;
  const declared = Number(header);
  return Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
}

/** Where the bytes of a body being read are counted (an InFlightReservation). */
export type BodyReservation = Pick<InFlightReservation, 'bytes' | 'tryGrow'>;

/**
 * Reads the whole body, counting it in `reservation` as it arrives. Fails, and stops buffering (the rest is
 * drained unread), with BodyTooLargeError past `limit` bytes and with BodyOverBudgetError when the reservation
 * cannot grow; with RequestAbortedError when the connection closes first.
 */
export function readBody(req: IncomingMessage, limit: number, reservation: BodyReservation): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      outcome();
    };
    const refuse = (error: Error): void =>
      settle(() => {
        chunks = []; // nothing buffered outlives the refusal
        req.resume();
        reject(error);
      });
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return refuse(new BodyTooLargeError(limit));
      if (size > reservation.bytes && !reservation.tryGrow(size - reservation.bytes))
        return refuse(new BodyOverBudgetError(reservation.bytes));
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => settle(() => resolve(Buffer.concat(chunks, size))));
    req.once('error', (error) => settle(() => reject(error)));
    req.once('close', () => settle(() => reject(new RequestAbortedError())));
  });
}

/** Splits a length-delimited protobuf stream (varint length, then that many bytes, repeated). */
export function splitDelimited(body: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < body.length) {
    let len = 0;
    let shift = 0;
    for (;;) {
      if (p >= body.length) throw new Error(`truncated length prefix at byte ${p}`);
      const b = body[p++]!;
      len += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 35) throw new Error(`length prefix too long at byte ${p}`);
    }
    if (p + len > body.length)
      throw new Error(`message ${out.length} declares ${len} bytes but only ${body.length - p} remain`);
    out.push(body.subarray(p, p + len));
    p += len;
  }
  return out;
}

/** Writes messages as a length-delimited stream (the inverse of splitDelimited). */
export function joinDelimited(messages: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of messages) {
    const prefix: number[] = [];
    let n = m.length;
    while (n >= 0x80) {
      prefix.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    prefix.push(n);
    parts.push(Buffer.from(prefix), Buffer.from(m.buffer, m.byteOffset, m.byteLength));
  }
  return Buffer.concat(parts);
}
