import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { BulkSink } from '../src/bulk-sink.js';
import { CHANNEL_NAMES, type BulkEndMessage, type RetryMessage } from '../src/diagnostics.js';
import type { BulkSinkOptions } from '../src/options.js';
import type { Ack, DeadLetterReason, SinkItem } from '../src/types.js';
import { FakeElasticsearch, type FakeReply, type ReceivedOp } from './helpers/fake-elasticsearch.js';

type Doc = { n: number; ts?: number; v?: number };

const servers: FakeElasticsearch[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function setup(
  handler: (ops: ReceivedOp[], n: number) => FakeReply | Promise<FakeReply>,
  options: Partial<BulkSinkOptions<Doc, number>> = {},
) {
  const es = new FakeElasticsearch(handler);
  servers.push(es);
  const node = await es.start();
  const acks: Array<{ item: SinkItem<Doc, number>; ack: Ack }> = [];
  const deadLetters: Array<{ item: SinkItem<Doc, number>; reason: DeadLetterReason }> = [];
  const sink = new BulkSink<Doc, number>({
    node,
    index: 'test',
    idKey: (d) => `id-${d.n}`,
    random: () => 0,
    retryInitialDelayMs: 1,
    retryMaxDelayMs: 5,
    onAck: (item, ack) => acks.push({ item, ack }),
    onDeadLetter: (item, reason) => {
      deadLetters.push({ item, reason });
    },
    ...options,
  });
  return { es, sink, acks, deadLetters };
}

const ok = { status: 201 };

/** A sink whose first bulk request hangs until `release()`; later requests are answered at once. */
async function setupFirstRequestHangs(options: Partial<BulkSinkOptions<Doc, number>>) {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const sinkSetup = await setup(async (ops, n) => {
    if (n === 1) await gate;
    return { items: ops.map(() => ok) };
  }, options);
  return { ...sinkSetup, release };
}

describe('BulkSink', () => {
  it('classifies every item: written, duplicate, dead letter with reason, retried until written', async () => {
    const { es, sink, acks, deadLetters } = await setup(
      (ops, n) =>
        n === 1
          ? {
              items: [
                ok,
                {
                  status: 409,
                  error: {
                    type: 'version_conflict_engine_exception',
                    reason: 'current version [5] is higher',
                  },
                },
                {
                  status: 400,
                  error: { type: 'document_parsing_exception', reason: 'failed to parse field [n]' },
                },
                { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } },
              ],
            }
          : { items: ops.map(() => ok) },
      { versionKey: (d) => d.v },
    );
    for (let n = 0; n < 4; n++) await sink.write({ n, v: 10 + n }, { context: n });
    await sink.close();
    expect(es.requests.map((r) => r.length)).toEqual([4, 1]);
    expect(es.requests[1]?.[0]?.meta).toMatchObject({ _id: 'id-3', version: 13, version_type: 'external' });
    expect(acks.map((a) => [a.item.context, a.ack.kind])).toEqual([
      [0, 'written'],
      [1, 'duplicate'],
      [3, 'written'],
    ]);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.item.context).toBe(2);
    expect(deadLetters[0]?.reason).toEqual({
      errorType: 'document_parsing_exception',
      reason: 'failed to parse field [n]',
      status: 400,
    });
    expect(sink.stats).toMatchObject({
      total: 4,
      successful: 2,
      duplicates: 1,
      failed: 1,
      retried: 1,
      requests: 2,
      buffered: 0,
      inFlight: 0,
    });
    expect(acks[2]?.item.attempts).toBe(2);
  });

  it('splits a request answered with 413 in halves and writes everything', async () => {
    const { es, sink, acks } = await setup((ops) =>
      ops.length > 2 ? { status: 413, body: '' } : { items: ops.map(() => ok) },
    );
    for (let n = 0; n < 5; n++) await sink.write({ n });
    await sink.flush();
    expect(es.requests.map((r) => r.length)).toEqual([5, 3, 2, 2, 1]);
    expect(acks.map((a) => a.item.document.n).sort()).toEqual([0, 1, 2, 3, 4]);
    await sink.close();
  });

  it('dead-letters a single document that is still too large', async () => {
    const { sink, deadLetters } = await setup(() => ({ status: 413, body: '' }));
    await sink.write({ n: 1 });
    await sink.close();
    expect(deadLetters.map((d) => d.reason.errorType)).toEqual(['request_entity_too_large']);
  });

  it('retries request-level 503 and 429 with backoff and publishes retry events', async () => {
    const retries: RetryMessage[] = [];
    const listener = (m: unknown) => retries.push(m as RetryMessage);
    subscribe(CHANNEL_NAMES.retry, listener);
    try {
      const { es, sink, acks } = await setup((ops, n) =>
        n === 1 ? { status: 503 } : n === 2 ? { status: 429 } : { items: ops.map(() => ok) },
      );
      await sink.write({ n: 1 });
      await sink.close();
      expect(es.requests).toHaveLength(3);
      expect(acks).toHaveLength(1);
      expect(retries.map((r) => [r.scope, r.attempt])).toEqual([
        ['request', 1],
        ['request', 2],
      ]);
    } finally {
      unsubscribe(CHANNEL_NAMES.retry, listener);
    }
  });

  it("reports Elasticsearch's own time for each request (took) beside the request's duration", async () => {
    const ends: BulkEndMessage[] = [];
    const listener = (m: unknown) => ends.push(m as BulkEndMessage);
    subscribe(CHANNEL_NAMES.bulkEnd, listener);
    try {
      const { es, sink } = await setup((ops, n) =>
        n === 1 ? { status: 503 } : { took: 7, items: ops.map(() => ok) },
      );
      await sink.write({ n: 1 });
      await sink.close();
      expect(es.queries[0]?.get('filter_path')?.split(',')).toContain('took');
      expect(ends.map((e) => [e.status, e.tookMs])).toEqual([
        [503, undefined], // no bulk response: nothing measured by Elasticsearch
        [200, 7],
      ]);
      expect(ends[1]!.durationMs).toBeGreaterThan(0);
    } finally {
      unsubscribe(CHANNEL_NAMES.bulkEnd, listener);
    }
  });

  it('retries a request that timed out', async () => {
    const { es, sink, acks } = await setup(
      async (ops, n) => {
        // undici enforces timeouts with coarse (~1 s) timers: answer the first request far later than that.
        if (n === 1) await new Promise((r) => setTimeout(r, 3000));
        return { items: ops.map(() => ok) };
      },
      { requestTimeoutMs: 200 },
    );
    await sink.write({ n: 1 });
    await sink.close();
    expect(
      es.requests.length,
      JSON.stringify({ stats: sink.stats, acks: acks.length }),
    ).toBeGreaterThanOrEqual(2);
    expect(acks).toHaveLength(1);
    expect(sink.stats).toMatchObject({ successful: 1, failed: 0 });
    expect(sink.stats.retried).toBeGreaterThanOrEqual(1);
  });

  it('abort() cancels an in-flight request and rejects a waiting flush()', async () => {
    const { sink, acks } = await setup(async (ops) => {
      await new Promise((r) => setTimeout(r, 200));
      return { items: ops.map(() => ok) };
    });
    await sink.write({ n: 1 });
    const flushing = sink.flush().catch((error: unknown) => error);
    await new Promise((r) => setTimeout(r, 20));
    expect(sink.stats.inFlight).toBe(1);
    expect(await sink.abort()).toBe(1);
    expect(await flushing).toMatchObject({ code: 'TRIB_SINK_ABORTED' });
    await new Promise((r) => setTimeout(r, 250));
    expect(acks).toHaveLength(0);
  });

  it('dead-letters with "retry deadline exceeded" when retries run out of time', async () => {
    const { sink, deadLetters } = await setup(
      (ops) => ({
        items: ops.map(() => ({
          status: 429,
          error: { type: 'es_rejected_execution_exception', reason: 'queue full' },
        })),
      }),
      { retryDeadlineMs: 30, random: () => 1, retryInitialDelayMs: 5, retryMaxDelayMs: 10 },
    );
    await sink.write({ n: 1 });
    await sink.close();
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.reason.errorType).toBe('retry_deadline_exceeded');
    expect(deadLetters[0]?.reason.reason).toMatch(
      /^retry deadline exceeded \(last error: 429 es_rejected_execution_exception/,
    );
  });

  it('retries documents of a request rejected for auth until it is accepted (never dead-lettered)', async () => {
    let refusals = 3;
    const { sink, deadLetters, acks } = await setup((ops) =>
      refusals-- > 0
        ? {
            status: 401,
            body: {
              error: { type: 'security_exception', reason: 'missing authentication credentials' },
              status: 401,
            },
          }
        : { items: ops.map(() => ok) },
    );
    await sink.write({ n: 1 });
    await sink.close();
    expect(deadLetters).toEqual([]);
    expect(acks).toHaveLength(1);
  });

  it('closes batches by count and by the age of the oldest document', async () => {
    const { es, sink, acks } = await setup((ops) => ({ items: ops.map(() => ok) }), {
      flushDocs: 2,
      flushIntervalMs: 20,
    });
    for (let n = 0; n < 5; n++) await sink.write({ n });
    await expect.poll(() => acks.length).toBe(5);
    expect(es.requests.map((r) => r.length)).toEqual([2, 2, 1]);
    await sink.close();
  });

  it('send() closes the buffered batch at once, without waiting for flushIntervalMs', async () => {
    const { es, sink, acks } = await setup((ops) => ({ items: ops.map(() => ok) }), {
      flushIntervalMs: 60_000,
    });
    for (let n = 0; n < 3; n++) await sink.write({ n });
    expect(es.requests).toHaveLength(0);
    sink.send();
    await expect.poll(() => acks.length).toBe(3);
    expect(es.requests.map((r) => r.length)).toEqual([3]);
    sink.send(); // nothing buffered: no empty request
    await sink.close();
    expect(es.requests).toHaveLength(1);
  });

  it('send() while a request is in flight keeps buffering, and sends when the sink is idle again', async () => {
    const { es, sink, acks, release } = await setupFirstRequestHangs({ flushIntervalMs: 60_000 });
    await sink.write({ n: 0 });
    sink.send(); // idle: the first request goes out at once, and hangs
    await expect.poll(() => sink.stats.inFlight).toBe(1);
    for (let n = 1; n < 4; n++) {
      await sink.write({ n });
      sink.send(); // busy: buffered, not one request per call
    }
    await new Promise((r) => setTimeout(r, 30));
    expect(es.requests.map((r) => r.length)).toEqual([1]);
    release();
    await expect.poll(() => acks.length).toBe(4);
    expect(es.requests.map((r) => r.length)).toEqual([1, 3]);
    await sink.close();
  });

  it('flush() sends its documents beside a request in flight (up to the concurrency limit), not after it', async () => {
    const { es, sink, acks, release } = await setupFirstRequestHangs({
      flushIntervalMs: 60_000,
      concurrency: 2,
    });
    await sink.write({ n: 0 });
    const first = sink.flush(); // the first request goes out and hangs
    await expect.poll(() => sink.stats.inFlight).toBe(1);
    for (let n = 1; n < 3; n++) await sink.write({ n });
    const second = sink.flush();
    await expect.poll(() => acks.length).toBe(2); // the second request completed while the first still hangs
    expect(es.requests.map((r) => r.map((op) => op.meta?._id))).toEqual([['id-0'], ['id-1', 'id-2']]);
    expect(sink.stats.inFlight).toBe(1);
    release();
    await Promise.all([first, second]);
    expect(acks.map((a) => a.item.document.n).sort()).toEqual([0, 1, 2]);
    await sink.close();
  });

  it('makes write() wait while maxBufferedDocs documents are outstanding (backpressure)', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { sink } = await setup(
      async (ops) => {
        await gate;
        return { items: ops.map(() => ok) };
      },
      { flushDocs: 1, maxBufferedDocs: 2, concurrency: 1 },
    );
    await sink.write({ n: 1 });
    await sink.write({ n: 2 });
    let third = false;
    const pending = sink.write({ n: 3 }).then(() => (third = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(third).toBe(false);
    expect(sink.stats.buffered).toBe(2);
    release();
    await pending;
    expect(third).toBe(true);
    await sink.close();
    expect(sink.stats.successful).toBe(3);
  });

  it('close() drains buffered documents; writes after close are refused with TRIB_SINK_CLOSED', async () => {
    const { es, sink, acks } = await setup((ops) => ({ items: ops.map(() => ok) }), {
      flushIntervalMs: 60_000,
    });
    for (let n = 0; n < 3; n++) await sink.write({ n });
    expect(es.requests).toHaveLength(0);
    await sink.close();
    expect(acks).toHaveLength(3);
    await expect(sink.write({ n: 9 })).rejects.toMatchObject({ code: 'TRIB_SINK_CLOSED' });
  });

  it('abort() drops outstanding documents without acking them', async () => {
    const { sink, acks, deadLetters } = await setup((ops) => ({ items: ops.map(() => ok) }), {
      flushIntervalMs: 60_000,
    });
    await sink.write({ n: 1 });
    await sink.write({ n: 2 });
    expect(await sink.abort()).toBe(2);
    expect(acks).toHaveLength(0);
    expect(deadLetters).toHaveLength(0);
    await expect(sink.write({ n: 3 })).rejects.toMatchObject({ code: 'TRIB_SINK_ABORTED' });
  });

  it('flush() waits for an asynchronous onDeadLetter', async () => {
    let delivered = false;
    const { sink } = await setup(
      (ops) => ({
        items: ops.map(() => ({ status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad' } })),
      }),
      {
        onDeadLetter: async () => {
          await new Promise((r) => setTimeout(r, 20));
          delivered = true;
        },
      },
    );
    await sink.write({ n: 1 });
    await sink.flush();
    expect(delivered).toBe(true);
    await sink.close();
  });

  it('writes update as doc_as_upsert, delete without source, and names daily indices from a date field', async () => {
    const { es, sink } = await setup((ops) => ({ items: ops.map(() => ok) }), {
      index: 'metrics-{yyyy.MM.dd}',
      indexDateField: 'ts',
    });
    await sink.write({ n: 1, ts: Date.UTC(2026, 0, 2, 23, 59) }, { action: 'update' });
    await sink.write({ n: 2, ts: Date.UTC(2026, 0, 3) }, { action: 'delete', version: 7 });
    await sink.close();
    expect(es.requests[0]).toEqual([
      {
        action: 'update',
        meta: { _index: 'metrics-2026.01.02', _id: 'id-1' },
        source: { doc: { n: 1, ts: Date.UTC(2026, 0, 2, 23, 59) }, doc_as_upsert: true },
      },
      {
        action: 'delete',
        meta: { _index: 'metrics-2026.01.03', _id: 'id-2', version: 7, version_type: 'external' },
        source: undefined,
      },
    ]);
    expect(es.queries[0]?.get('filter_path')).toContain('items.*.error');
  });

  it('sends external versions only with index and delete (create and update ignore them)', async () => {
    const { es, sink } = await setup((ops) => ({ items: ops.map(() => ok) }));
    await sink.write({ n: 1 }, { action: 'create', version: 3 });
    await sink.write({ n: 2 }, { action: 'index', version: 3 });
    await sink.close();
    expect(es.requests[0]?.map((op) => op.meta['version'])).toEqual([undefined, 3]);
  });

  it('dead-letters a document whose index date is missing, without sending it', async () => {
    const { es, sink, deadLetters } = await setup(() => ({}), {
      index: 'metrics-{yyyy.MM.dd}',
      indexDateField: 'ts',
    });
    await sink.write({ n: 1 });
    await sink.close();
    expect(es.requests).toHaveLength(0);
    expect(deadLetters[0]?.reason).toEqual({
      errorType: 'invalid_document',
      reason: 'field ts is missing or not a date',
      status: undefined,
    });
  });

  it('installs the index template once, before the first bulk request', async () => {
    const { es, sink } = await setup((ops) => ({ items: ops.map(() => ok) }), {
      template: { name: 'tpl', indexPatterns: ['test*'], alias: 'all-tests', replicas: 0 },
    });
    await sink.ready();
    await sink.write({ n: 1 });
    await sink.write({ n: 2 });
    await sink.close();
    expect(es.others).toEqual([
      {
        method: 'PUT',
        path: '/_index_template/tpl',
        body: expect.objectContaining({
          index_patterns: ['test*'],
          template: expect.objectContaining({ aliases: { 'all-tests': {} } }),
        }),
      },
    ]);
    expect(es.requests).toHaveLength(1);
  });

  it('creates the date-pattern indices of now and the next day after the template at ready(), before any document', async () => {
    const noon = Date.UTC(2026, 11, 7, 12, 0, 0);
    const { es, sink } = await setup((ops) => ({ items: ops.map(() => ok) }), {
      index: 'metrics-{yyyy.MM.dd}',
      indexDateField: 'ts',
      template: { name: 'tpl', indexPatterns: ['metrics-*'], replicas: 0 },
      createIndicesAhead: true,
      clock: () => noon,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(es.others).toEqual([]); // constructing a sink sends nothing
    await sink.ready();
    expect(es.others.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /_index_template/tpl',
      'PUT /metrics-2026.12.07',
      'PUT /metrics-2026.12.08',
    ]);
    await sink.write({ n: 1, ts: noon });
    await sink.close();
    expect(es.requests).toHaveLength(1);
    expect(es.others).toHaveLength(3); // the template once, shared with the first write
  });

  it('does not create indices ahead for a constant index name, nor without the option', async () => {
    for (const options of [{ createIndicesAhead: true }, { index: 'm-{yyyy}', indexDateField: 'ts' }]) {
      const { es, sink } = await setup((ops) => ({ items: ops.map(() => ok) }), options);
      await sink.write({ n: 1, ts: 0 });
      await sink.close();
      expect(es.others).toEqual([]);
      expect(es.requests).toHaveLength(1);
    }
  });

  it('rejects bad options at construction, naming the option', () => {
    const make = (o: Partial<BulkSinkOptions<Doc>>) => () =>
      new BulkSink<Doc>({ node: 'http://127.0.0.1:1', index: 'x', ...o });
    expect(make({ flushDocs: 0 })).toThrow(/^flushDocs must be >= 1 \(got 0\)/);
    expect(make({ node: 'not a url' })).toThrow(/^node must be an http\(s\) URL/);
    expect(make({ index: 'Upper' })).toThrow(/^index must be/);
    expect(make({ index: 'm-{yyyy.MM.dd}' })).toThrow(/^indexDateField is required/);
    expect(make({ action: 'create', versionKey: () => 1 })).toThrow(
      /^versionKey cannot be used with action create/,
    );
    expect(make({ maxBufferedDocs: 10 })).toThrow(/^maxBufferedDocs must be >= flushDocs/);
    expect(make({ flushDocs: 0 })).toThrow(
      expect.objectContaining({ code: 'TRIB_SINK_INVALID_OPTION', option: 'flushDocs' }),
    );
  });

  it('dead-letters a document whose _id is over 512 bytes before sending, and sends the others', async () => {
    const { es, sink, acks, deadLetters } = await setup((ops) => ({ items: ops.map(() => ok) }), {
      idKey: (d) => (d.n === 2 ? `long-${'x'.repeat(600)}` : `id-${d.n}`),
    });
    for (let n = 1; n <= 3; n++) await sink.write({ n }, { context: n });
    await sink.close();
    expect(es.requests.map((r) => r.map((op) => op.meta['_id']))).toEqual([['id-1', 'id-3']]);
    expect(acks.map((a) => a.item.context)).toEqual([1, 3]);
    expect(deadLetters.map((d) => [d.item.context, d.reason.errorType, d.reason.status])).toEqual([
      [2, 'id_too_long', undefined],
    ]);
    expect(deadLetters[0]?.reason.reason).toMatch(/^document _id is 605 bytes .* limit of 512 bytes/);
  });

  it('by default never gives a transiently failing document up: retries through a simulated week of 503s', async () => {
    let now = 0;
    const failures = 40;
    const seen: number[] = [];
    const { es, sink, acks, deadLetters } = await setup(
      (ops, n) => {
        now += 6 * 3_600_000; // each attempt is six hours after the previous one
        seen.push(sink.stats.retrying);
        return n <= failures ? { status: 503 } : { items: ops.map(() => ok) };
      },
      { clock: () => now, flushIntervalMs: 0 },
    );
    for (let n = 0; n < 3; n++) await sink.write({ n });
    await sink.close();
    expect(es.requests).toHaveLength(failures + 1);
    expect(now).toBeGreaterThan(7 * 24 * 3_600_000);
    expect(deadLetters).toEqual([]);
    expect(acks).toHaveLength(3);
    // Every retry resends the same three documents; none is duplicated or lost.
    expect(es.requests.every((r) => r.map((op) => op.meta['_id']).join() === 'id-0,id-1,id-2')).toBe(true);
    expect(seen[0]).toBe(0);
    expect(seen.slice(1).every((r) => r === 3)).toBe(true);
    expect(sink.stats).toMatchObject({ retrying: 0, buffered: 0, retried: 3 * failures });
  });

  it('resends a batch whose request keeps timing out as the same documents, without copies in memory', async () => {
    let hung = 0;
    const { es, sink, acks } = await setup(
      async (ops, n) => {
        // Elasticsearch suspended: the first requests never get an answer (undici times out at ~1 s granularity).
        if (n <= 3) {
          hung++;
          await new Promise(() => undefined);
        }
        return { items: ops.map(() => ok) };
      },
      { requestTimeoutMs: 200, flushDocs: 5, concurrency: 2 },
    );
    for (let n = 0; n < 5; n++) await sink.write({ n });
    const bytes = sink.stats.bufferedBytes;
    const samples: Array<{ buffered: number; bytes: number; retrying: number }> = [];
    const timer = setInterval(() => {
      const s = sink.stats;
      samples.push({ buffered: s.buffered, bytes: s.bufferedBytes, retrying: s.retrying });
    }, 50);
    try {
      await sink.flush();
    } finally {
      clearInterval(timer);
    }
    expect(hung).toBe(3);
    expect(es.requests).toHaveLength(4);
    expect(
      es.requests.every((r) => r.map((op) => op.meta['_id']).join() === 'id-0,id-1,id-2,id-3,id-4'),
    ).toBe(true);
    expect(samples.length).toBeGreaterThan(5);
    expect(samples.every((s) => s.buffered === 5 && s.bytes === bytes)).toBe(true);
    expect(samples.some((s) => s.retrying === 5)).toBe(true);
    expect(acks.map((a) => a.item.document.n)).toEqual([0, 1, 2, 3, 4]);
    expect(sink.stats).toMatchObject({ successful: 5, failed: 0, retrying: 0, buffered: 0 });
    await sink.close();
  });
});
