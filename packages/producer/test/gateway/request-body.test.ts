import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InFlightBudget } from '../../src/gateway/in-flight-budget.js';
import {
  BodyOverBudgetError,
  BodyTooLargeError,
  bodyFormatOf,
  declaredBodyLength,
  joinDelimited,
  readBody,
  RequestAbortedError,
  splitDelimited,
} from '../../src/gateway/request-body.js';

describe('bodyFormatOf', () => {
  it('maps content types onto body formats', () => {
    expect(bodyFormatOf('application/json')).toBe('json');
    expect(bodyFormatOf('application/json; charset=utf-8')).toBe('json');
    expect(bodyFormatOf('application/x-protobuf')).toBe('protobuf');
    expect(bodyFormatOf('application/x-protobuf; delimited=true')).toBe('protobuf-delimited');
    expect(bodyFormatOf('Application/X-Protobuf;Delimited=True')).toBe('protobuf-delimited');
    expect(bodyFormatOf('application/x-protobuf; delimited=false')).toBe('protobuf');
    expect(bodyFormatOf('text/plain')).toBeUndefined();
    expect(bodyFormatOf(undefined)).toBeUndefined();
  });
});

describe('length-delimited framing', () => {
  it('round-trips messages, including empty ones and lengths over 127', () => {
    const messages = [
      new Uint8Array([1, 2, 3]),
      new Uint8Array(0),
      new Uint8Array(300).fill(7),
      new Uint8Array(20_000).fill(9),
    ];
    const joined = joinDelimited(messages);
    expect(joined[0]).toBe(3);
    expect(splitDelimited(joined).map((m) => Buffer.from(m))).toEqual(messages.map((m) => Buffer.from(m)));
  });

  it('rejects truncated frames', () => {
    expect(() => splitDelimited(new Uint8Array([5, 1, 2]))).toThrow(/declares 5 bytes/);
    expect(() => splitDelimited(new Uint8Array([0x80]))).toThrow(/truncated length prefix/);
  });
});

describe('declaredBodyLength', () => {
  it('reads Content-Length, undefined without one', () => {
    expect(declaredBodyLength({ 'content-length': '1234' })).toBe(1234);
    expect(declaredBodyLength({ 'content-length': '0' })).toBe(0);
    expect(declaredBodyLength({ 'transfer-encoding': 'chunked' })).toBeUndefined();
  });
});

describe('readBody', () => {
  const request = () => new PassThrough();
  const asRequest = (stream: PassThrough) => stream as unknown as IncomingMessage;

  it('reads a body within its reservation, growing it as bytes arrive beyond what was declared', async () => {
    const budget = new InFlightBudget({ maxEvents: 1, maxBytes: 100 });
    const reservation = budget.tryReserve(10)!;
    const req = request();
    const body = readBody(asRequest(req), 50, reservation);
    req.write(Buffer.alloc(8, 1));
    req.end(Buffer.alloc(22, 2));
    expect((await body).length).toBe(30);
    expect([reservation.bytes, budget.bytes]).toEqual([30, 30]);
  });

  it('fails with BodyOverBudgetError when the budget cannot hold the next chunk, and drains the rest', async () => {
    const budget = new InFlightBudget({ maxEvents: 1, maxBytes: 100 });
    budget.tryReserve(60);
    const reservation = budget.tryReserve(0)!;
    const req = request();
    const body = readBody(asRequest(req), 1_000, reservation);
    req.write(Buffer.alloc(30));
    req.write(Buffer.alloc(30));
    await expect(body).rejects.toBeInstanceOf(BodyOverBudgetError);
    expect([reservation.bytes, budget.bytes]).toEqual([30, 90]);
    req.end(Buffer.alloc(500));
    await new Promise((resolve) => req.once('end', resolve));
    expect(budget.bytes).toBe(90); // drained, not counted
    reservation.release();
    expect(budget.bytes).toBe(60);
  });

  it('fails with BodyTooLargeError past the limit, before asking the budget', async () => {
    const budget = new InFlightBudget({ maxEvents: 1, maxBytes: 1_000 });
    const reservation = budget.tryReserve(0)!;
    const req = request();
    const body = readBody(asRequest(req), 20, reservation);
    req.write(Buffer.alloc(15));
    req.write(Buffer.alloc(15));
    await expect(body).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(reservation.bytes).toBe(15);
  });

  it('fails with RequestAbortedError when the connection closes first; the reservation is then released once', async () => {
    const budget = new InFlightBudget({ maxEvents: 1, maxBytes: 1_000 });
    const reservation = budget.tryReserve(0)!;
    const req = request();
    const body = readBody(asRequest(req), 1_000, reservation);
    req.write(Buffer.alloc(40));
    await new Promise((resolve) => setImmediate(resolve));
    req.destroy();
    await expect(body).rejects.toBeInstanceOf(RequestAbortedError);
    expect(budget.bytes).toBe(40);
    reservation.release();
    reservation.release();
    expect(budget.bytes).toBe(0);
  });
});
