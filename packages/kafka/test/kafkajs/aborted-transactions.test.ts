import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  filterAbortedTransactions,
  type AbortedTransaction,
  type FilterAbortedArgs,
  type TransactionalMessage,
} from '../../src/kafkajs/aborted-transactions.js';
import { rng } from '../../../../test/helpers/rng.js';

// The Java consumer's read_committed filter against the ground truth of a simulated partition log (which records
// were committed), read in fetches the way the broker answers them, and against kafkajs 2.2.4's own filter, which
// delivers records of aborted transactions in some interleavings.
const require = createRequire(import.meta.url);
type Filter = (args: FilterAbortedArgs<Message>) => Message[];
const kafkajsFilter = require('kafkajs/src/consumer/filterAbortedMessages.js') as Filter;

interface Message extends TransactionalMessage {
  value: Buffer | null;
  batchContext: {
    firstOffset: string;
    lastOffsetDelta: number;
    producerId: string;
    inTransaction: boolean;
    isControlBatch: boolean;
  };
}

interface Listed extends AbortedTransaction {
  /** Offset of the abort marker (the broker lists a transaction for fetches at or before it). */
  lastOffset: bigint;
}

const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);

/**
 * One partition's log as the broker writes it: record batches (one context object per batch, as kafkajs' decoder
 * and ours build them), control batches for commits and aborts, and the aborted-transaction index in abort order.
 */
class PartitionLog {
  readonly messages: Message[] = [];
  readonly aborted: Listed[] = [];
  #next: bigint;
  readonly #open = new Map<string, { firstOffset: bigint; records: Message[] }>();
  readonly #fate = new Map<Message, 'committed' | 'aborted' | 'open'>();

  constructor(base = 0n) {
    this.#next = base;
  }

  get openProducers(): string[] {
    return [...this.#open.keys()];
  }

  /** A batch of a transactional producer (its transaction begins with the first one). */
  send(producerId: string, values: string[], key: Buffer | null = null): this {
    const records = this.#batch(producerId, true, false, values, key);
    let open = this.#open.get(producerId);
    if (open === undefined) {
      open = { firstOffset: BigInt(records[0]!.offset), records: [] };
      this.#open.set(producerId, open);
    }
    open.records.push(...records);
    for (const record of records) this.#fate.set(record, 'open');
    return this;
  }

  /** A batch without a producer id (a non-idempotent producer), or with one but not transactional (idempotent). */
  plain(values: string[], producerId = '-1'): this {
    for (const record of this.#batch(producerId, false, false, values, null))
      this.#fate.set(record, 'committed');
    return this;
  }

  commit(producerId: string): this {
    return this.#end(producerId, COMMIT, 'committed');
  }

  abort(producerId: string): this {
    return this.#end(producerId, ABORT, 'aborted');
  }

  /** The values a read_committed consumer returns: committed and non-transactional records, in offset order. */
  committed(): string[] {
    return this.messages.filter((m) => this.#fate.get(m) === 'committed').map(valueOf);
  }

  /**
   * What a fetch at `offset` gets: whole batches from the one holding `offset`, `batches` of them, and the aborted
   * transactions ending at or after `offset` that begin before the end of the returned range, in abort order.
   */
  fetch(
    offset: bigint,
    batches: number,
  ): { messages: Message[]; aborted: AbortedTransaction[]; next: bigint } {
    const start = this.messages.findIndex((m) => lastOffsetOf(m) >= offset);
    if (start === -1) return { messages: [], aborted: [], next: offset };
    const messages: Message[] = [];
    let context: Message['batchContext'] | undefined;
    let count = 0;
    for (const message of this.messages.slice(start)) {
      if (message.batchContext !== context) {
        if (count === batches) break;
        context = message.batchContext;
        count++;
      }
      messages.push(message);
    }
    const next = lastOffsetOf(messages.at(-1)!) + 1n;
    const aborted = this.aborted
      .filter((t) => t.lastOffset >= offset && BigInt(t.firstOffset) < next)
      .map(({ producerId, firstOffset }) => ({ producerId, firstOffset }));
    return { messages, aborted, next };
  }

  #batch(
    producerId: string,
    inTransaction: boolean,
    isControlBatch: boolean,
    values: string[],
    key: Buffer | null,
  ) {
    const batchContext = {
      firstOffset: this.#next.toString(),
      lastOffsetDelta: values.length - 1,
      producerId,
      inTransaction,
      isControlBatch,
    };
    const records: Message[] = values.map((value, i) => ({
      offset: (this.#next + BigInt(i)).toString(),
      key,
      value: Buffer.from(value),
      isControlRecord: isControlBatch,
      batchContext,
    }));
    this.#next += BigInt(values.length);
    this.messages.push(...records);
    return records;
  }

  #end(producerId: string, key: Buffer, fate: 'committed' | 'aborted'): this {
    const open = this.#open.get(producerId);
    if (open === undefined) throw new Error(`no open transaction of ${producerId}`);
    this.#open.delete(producerId);
    const [marker] = this.#batch(producerId, true, true, [''], null);
    marker!.key = key;
    marker!.value = null;
    for (const record of open.records) this.#fate.set(record, fate);
    if (fate === 'aborted') {
      this.aborted.push({
        producerId,
        firstOffset: open.firstOffset.toString(),
        lastOffset: BigInt(marker!.offset),
      });
    }
    return this;
  }
}

const valueOf = (m: Message): string => String(m.value);
const lastOffsetOf = (m: Message): bigint =>
  BigInt(m.batchContext.firstOffset) + BigInt(m.batchContext.lastOffsetDelta);

/** kafkajs' Batch around the filter: the records at or after the fetched offset, filtered, without control records. */
function delivered(
  filter: Filter,
  fetchedOffset: bigint,
  messages: Message[],
  aborted: AbortedTransaction[],
) {
  const within = messages.filter((m) => BigInt(m.offset) >= fetchedOffset);
  return filter({ messages: within, abortedTransactions: aborted })
    .filter((m) => !m.isControlRecord)
    .map(valueOf);
}

/** Reads the whole log from `from` in fetches of `batchesPerFetch()` batches, as a consumer does. */
function read(log: PartitionLog, filter: Filter, batchesPerFetch: () => number, from = 0n): string[] {
  const values: string[] = [];
  let offset = from;
  for (;;) {
    const { messages, aborted, next } = log.fetch(offset, batchesPerFetch());
    if (messages.length === 0) return values;
    values.push(...delivered(filter, offset, messages, aborted));
    offset = next;
  }
}

const readAll = (log: PartitionLog, filter: Filter): string[] => read(log, filter, () => Infinity);

/** The A/B/C interleaving: A1, B1, A2, B aborts, A aborts, C (no transaction). */
function abcLog(base = 0n, a = '1000', b = '1001'): PartitionLog {
  return new PartitionLog(base)
    .send(a, ['A1'])
    .send(b, ['B1'])
    .send(a, ['A2'])
    .abort(b)
    .abort(a)
    .plain(['C']);
}

/** Random interleavings of `producers` transactional producers, plain records, commits and aborts. */
function randomLog(seed: number, producerIds: string[], steps: number, base = 0n): PartitionLog {
  const random = rng(seed);
  const log = new PartitionLog(base);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let n = 0;
  const values = (prefix: string) =>
    Array.from({ length: 1 + Math.floor(random() * 3) }, () => `${prefix}${n++}`);
  for (let i = 0; i < steps; i++) {
    const roll = random();
    const open = log.openProducers;
    if (roll < 0.5 || open.length === 0) {
      const producer = pick(producerIds);
      log.send(producer, values(`${producer}:`));
    } else if (roll < 0.65) log.commit(pick(open));
    else if (roll < 0.85) log.abort(pick(open));
    else if (roll < 0.95) log.plain(values('plain:'));
    else log.plain(values('idempotent:'), '77');
  }
  for (const producer of log.openProducers) {
    if (random() < 0.5) log.commit(producer);
    else log.abort(producer);
  }
  return log;
}

describe('filterAbortedTransactions (the Java consumer’s read_committed filter)', () => {
  it('A1, B1, A2, B aborts, A aborts, C: only C, where kafkajs’ own filter also delivers A1', () => {
    const log = abcLog();
    expect(log.aborted.map((t) => t.producerId)).toEqual(['1001', '1000']); // abort order, as the broker lists them
    expect(readAll(log, filterAbortedTransactions)).toEqual(['C']);
    expect(readAll(log, kafkajsFilter)).toEqual(['A1', 'C']);
    expect(log.committed()).toEqual(['C']);
  });

  it('keeps the control records (kafkajs’ Batch drops them) and returns the array itself when nothing is aborted', () => {
    const log = abcLog();
    const kept = filterAbortedTransactions({ messages: log.messages, abortedTransactions: log.aborted });
    expect(kept.map((m) => (m.isControlRecord ? `marker:${m.key![3]}` : valueOf(m)))).toEqual([
      'marker:0',
      'marker:0',
      'C',
    ]);
    const messages = log.messages;
    expect(filterAbortedTransactions({ messages, abortedTransactions: [] })).toBe(messages);
    expect(filterAbortedTransactions({ messages, abortedTransactions: null })).toBe(messages);
    expect(filterAbortedTransactions({ messages })).toBe(messages);
  });

  it('overlapping transactions of several producers, aborted in an order unlike their start', () => {
    const log = new PartitionLog()
      .send('1', ['a1'])
      .send('2', ['b1', 'b2'])
      .send('3', ['c1'])
      .plain(['p1'])
      .send('1', ['a2'])
      .send('4', ['d1'])
      .abort('3')
      .send('2', ['b3'])
      .commit('4')
      .abort('2')
      .send('3', ['c2'])
      .abort('1')
      .commit('3');
    expect(log.aborted.map((t) => t.producerId)).toEqual(['3', '2', '1']);
    expect(log.committed()).toEqual(['p1', 'd1', 'c2']);
    expect(readAll(log, filterAbortedTransactions)).toEqual(['p1', 'd1', 'c2']);
    expect(readAll(log, kafkajsFilter)).not.toEqual(['p1', 'd1', 'c2']);
  });

  it('a fetch that starts inside aborted transactions (their first offsets before its first record)', () => {
    // A and B both begin before offset 3; the fetch at 3 gets both listed, B's first (it aborted first).
    const log = new PartitionLog()
      .send('10', ['a1'])
      .send('11', ['b1'])
      .plain(['p1'])
      .send('10', ['a2'])
      .send('11', ['b2'])
      .abort('11')
      .abort('10')
      .plain(['p2']);
    const { messages, aborted } = log.fetch(3n, Infinity);
    expect(aborted).toEqual([
      { producerId: '11', firstOffset: '1' },
      { producerId: '10', firstOffset: '0' },
    ]);
    expect(delivered(filterAbortedTransactions, 3n, messages, aborted)).toEqual(['p2']);
    expect(delivered(kafkajsFilter, 3n, messages, aborted)).toEqual(['a2', 'p2']);
  });

  it('a multi-record batch that the fetch starts in the middle of, and one whose header spans the first offset', () => {
    const log = new PartitionLog(100n)
      .plain(['p1'])
      .send('5', ['a1', 'a2', 'a3', 'a4'])
      .send('6', ['b1', 'b2', 'b3'])
      .abort('5')
      .commit('6')
      .plain(['p2']);
    // The broker returns A's batch from 101; the consumer asked for 103 (kafkajs' Batch drops 101 and 102).
    const { messages, aborted } = log.fetch(103n, Infinity);
    expect(aborted).toEqual([{ producerId: '5', firstOffset: '101' }]);
    expect(delivered(filterAbortedTransactions, 103n, messages, aborted)).toEqual(['b1', 'b2', 'b3', 'p2']);
    // The Java consumer decides per batch from its header's last offset: a listed first offset past the batch's
    // first record (the records before it were compacted away) still covers the whole batch.
    const batch = log.messages
      .filter((m) => m.batchContext.producerId === '5' && !m.isControlRecord)
      .slice(0, 1);
    expect(
      delivered(filterAbortedTransactions, 0n, batch, [{ producerId: '5', firstOffset: '103' }]),
    ).toEqual([]);
    expect(delivered(kafkajsFilter, 0n, batch, [{ producerId: '5', firstOffset: '103' }])).toEqual(['a1']);
  });

  it('commit markers leave aborted producers aborted; an abort marker ends only its own producer’s transaction', () => {
    const log = new PartitionLog()
      .send('1', ['a1'])
      .commit('1')
      .send('2', ['b1'])
      .send('1', ['a2'])
      .send('3', ['c1'])
      .commit('3')
      .abort('2')
      .send('1', ['a3'])
      .abort('1')
      .send('1', ['a4'])
      .send('2', ['b2'])
      .commit('1')
      .commit('2');
    expect(log.committed()).toEqual(['a1', 'c1', 'a4', 'b2']);
    expect(readAll(log, filterAbortedTransactions)).toEqual(['a1', 'c1', 'a4', 'b2']);
  });

  it('a record keyed 00 00 00 00 in an aborted transaction is a record, not an abort marker', () => {
    const log = new PartitionLog().send('1', ['a1'], ABORT).send('1', ['a2']).abort('1').plain(['p1']);
    expect(readAll(log, filterAbortedTransactions)).toEqual(['p1']);
    expect(readAll(log, kafkajsFilter)).toEqual(['a1', 'a2', 'p1']);
  });

  it('a non-transactional batch with the producer id of an aborted transaction is kept (as by the Java consumer)', () => {
    const log = new PartitionLog().send('77', ['a1']).plain(['i1'], '77').abort('77');
    expect(readAll(log, filterAbortedTransactions)).toEqual(['i1']);
  });

  it('offsets and producer ids beyond 2^53 compare exactly', () => {
    // 2^53 and 2^53 + 1 are the same number: a Number comparison mixes these producers up.
    const log = abcLog(2n ** 62n, '9007199254740992', '9007199254740993');
    expect(readAll(log, filterAbortedTransactions)).toEqual(['C']);
    const other = new PartitionLog(2n ** 53n - 2n)
      .send('9007199254740992', ['a1'])
      .send('9007199254740993', ['b1', 'b2', 'b3'])
      .abort('9007199254740992')
      .commit('9007199254740993');
    expect(readAll(other, filterAbortedTransactions)).toEqual(['b1', 'b2', 'b3']);
    // kafkajs' list entries may carry other spellings of the same id
    const { messages } = other.fetch(0n, Infinity);
    const listed = [{ producerId: '09007199254740992', firstOffset: (2n ** 53n - 2n).toString() }];
    expect(delivered(filterAbortedTransactions, 0n, messages, listed)).toEqual(['b1', 'b2', 'b3']);
  });

  it('random interleavings of up to five producers, read whole and in small fetches: exactly the committed records', () => {
    let kafkajsLeaks = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const producers = ['1', '2', '3', '4', '5'].slice(0, 2 + (seed % 4));
      const log = randomLog(seed, producers, 10 + (seed % 40), seed % 3 === 0 ? 2n ** 60n : 0n);
      const expected = log.committed();
      expect(readAll(log, filterAbortedTransactions), `seed ${seed}`).toEqual(expected);
      const sizes = rng(seed * 7919);
      expect(
        read(log, filterAbortedTransactions, () => 1 + Math.floor(sizes() * 4)),
        `seed ${seed}, small fetches`,
      ).toEqual(expected);
      const middle = log.messages[Math.floor(log.messages.length / 2)]!;
      const tail = log.messages.filter((m) => BigInt(m.offset) >= BigInt(middle.offset));
      const committed = new Set(expected);
      expect(
        read(log, filterAbortedTransactions, () => 2, BigInt(middle.offset)),
        `seed ${seed}, from the middle`,
      ).toEqual(tail.filter((m) => !m.isControlRecord && committed.has(valueOf(m))).map(valueOf));
      if (JSON.stringify(read(log, kafkajsFilter, () => 2)) !== JSON.stringify(expected)) kafkajsLeaks++;
    }
    expect(kafkajsLeaks).toBeGreaterThan(100);
  });
});

// The install goes through the built package, in fresh processes (the module cache is per process), as the
// packages that use kafkajs install it: kafkajs' own Batch must use it too when the fetch decoding is switched off.
const KAFKA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'index.js');

function afterInstall(env: NodeJS.ProcessEnv): unknown {
  const script =
    `const { loadKafkajs, kafkajsPatches } = await import(${JSON.stringify(KAFKA)});` +
    `const { createRequire } = await import('node:module');` +
    `const require = createRequire(${JSON.stringify(KAFKA)});` +
    `loadKafkajs(); const patches = kafkajsPatches();` +
    `const filter = require('kafkajs/src/consumer/filterAbortedMessages.js');` +
    `const Batch = require('kafkajs/src/consumer/batch.js');` +
    `const { Kafka } = require('kafkajs');` +
    // the A/B/C fetch, through whichever Batch kafkajs' consumer will construct
    `const batch = (producerId, firstOffset, key, isControlBatch = key !== null) => ({ firstOffset: String(firstOffset),` +
    ` lastOffsetDelta: 0, producerId, inTransaction: producerId !== '-1', isControlBatch });` +
    `const m = (offset, producerId, value, key = null) => ({ offset: String(offset), key, value: Buffer.from(value),` +
    ` isControlRecord: key !== null, batchContext: batch(producerId, offset, key) });` +
    `const abort = Buffer.from([0, 0, 0, 0]);` +
    `const messages = [m(0, '1000', 'A1'), m(1, '1001', 'B1'), m(2, '1000', 'A2'), m(3, '1001', '', abort),` +
    ` m(4, '1000', '', abort), m(5, '-1', 'C')];` +
    `const abortedTransactions = [{ producerId: '1001', firstOffset: '1' }, { producerId: '1000', firstOffset: '0' }];` +
    `const fetched = new Batch('t', '0', { partition: 0, highWatermark: '6', abortedTransactions, messages });` +
    `console.log(JSON.stringify({ abortedTransactions: patches.abortedTransactions, batch: patches.fetchDecoding.batch,` +
    ` kafkajs: typeof Kafka, filter: filter.name, delivered: fetched.messages.map((x) => String(x.value)) }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TRIBUTARY_KAFKAJS_DECODING: '', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim());
}

describe('loadKafkajs: the read_committed filter', () => {
  it.each([
    ['with the fetch decoding (the project’s Batch)', {}, true],
    [
      'with TRIBUTARY_KAFKAJS_DECODING=kafkajs (kafkajs’ own Batch)',
      { TRIBUTARY_KAFKAJS_DECODING: 'kafkajs' },
      false,
    ],
  ])('replaces kafkajs’ filterAbortedMessages module in a fresh process, %s', (_name, env, batch) => {
    expect(afterInstall(env)).toEqual({
      abortedTransactions: true,
      batch,
      kafkajs: 'function',
      filter: 'bound filterAbortedTransactions',
      delivered: ['C'],
    });
  });
});
