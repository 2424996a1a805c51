import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchClass } from '../../src/kafkajs/fetch-decoding.js';
import { KafkaErrorCodes } from '../../src/errors.js';
import { createLz4Codec } from '../../src/lz4/lz4-codec.js';
import { DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES } from '../../src/kafkajs/decompression-cap.js';
import { createGzipCodec } from '../../src/kafkajs/gzip-codec.js';
import {
  createRecordBatchDecoder,
  type KafkajsDecoder,
  type KafkajsDecodingInternals,
} from '../../src/kafkajs/record-batch-decoding.js';
import { recordOffsetNumber, recordTimestampNumber } from '../../src/kafkajs/record-numbers.js';
import { rng } from '../../../../test/helpers/rng.js';
import { gzipBomb, lz4Bomb } from './decompression-bombs.js';

// Differential test: the processor's record-batch decoder and Batch against kafkajs 2.2.4's own, on record batches
// made by kafkajs' own encoder (then edited where the encoder cannot produce a case: control batches, append time,
// truncation, corrupt lengths).
const require = createRequire(import.meta.url);
type Decoder = KafkajsDecoder;
const DecoderClass = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => Decoder;
const kafkajsRecordBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  d: Decoder,
) => Promise<{ records: unknown[] }>;
const { RecordBatch: RecordBatchEncoder } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (args: object) => Promise<{ buffer: Buffer }>;
};
const RecordEncoder = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (
  args: object,
) => object;
const Long = require('kafkajs/src/utils/long.js') as { fromValue(v: string | number): unknown };
const compression = require('kafkajs/src/protocol/message/compression/index.js') as {
  Types: Record<string, number>;
  lookupCodecByAttributes: (a: number) => { decompress(b: Buffer): Promise<Buffer> } | null;
};
const errors = require('kafkajs/src/errors.js') as { KafkaJSPartialMessageError: new (m: string) => Error };
const KafkajsBatch = require('kafkajs/src/consumer/batch.js') as new (
  topic: string,
  fetchedOffset: string,
  data: object,
) => Record<string, unknown> & { lastOffset(): string; firstOffset(): string | null; isEmpty(): boolean };
const filterAbortedMessages = require('kafkajs/src/consumer/filterAbortedMessages.js');

const codecs = require('kafkajs/src/protocol/message/compression/index.js') as {
  Codecs: Record<number, () => unknown>;
};
codecs.Codecs[3] = () => createLz4Codec();

let fallbacks = 0;
const internals: KafkajsDecodingInternals = {
  Decoder: DecoderClass,
  recordDecoder: require('kafkajs/src/protocol/recordBatch/record/v0/decoder.js'),
  lookupCodecByAttributes: compression.lookupCodecByAttributes,
  PartialMessageError: errors.KafkaJSPartialMessageError,
  logAppendTime: 1,
  createTime: 0,
  onFallback: () => fallbacks++,
};
const fastDecoder = createRecordBatchDecoder(internals);

interface BatchSpec {
  compression: number;
  firstOffset: number;
  firstTimestamp: number;
  records: number;
  headers: boolean;
  transactional?: boolean;
  /** Values of ASCII letters (every byte a small one-byte varint), for the corruption test. */
  asciiValues?: boolean;
}

async function encodeBatch(spec: BatchSpec, rnd: () => number): Promise<Buffer> {
  const records = [];
  for (let i = 0; i < spec.records; i++) {
    const headers: Record<string, Buffer | Buffer[]> = {};
    if (spec.headers && rnd() < 0.6) {
      headers['tributary-error-code'] = Buffer.from(`code-${i}`);
      if (rnd() < 0.3) headers.dup = [Buffer.from('a'), Buffer.from('b'), Buffer.from('')];
      if (rnd() < 0.2) headers['ünï'] = Buffer.from([0xff, 0x00]);
    }
    records.push(
      RecordEncoder({
        offsetDelta: i,
        timestampDelta: Math.floor(rnd() * 5_000) - 1_000,
        key: rnd() < 0.2 ? null : Buffer.from(`user-${Math.floor(rnd() * 1e6)}`),
        value:
          rnd() < 0.05
            ? null
            : Buffer.alloc(
                Math.floor(rnd() * 300),
                spec.asciiValues ? 97 + Math.floor(rnd() * 26) : Math.floor(rnd() * 256),
              ),
        headers,
      }),
    );
  }
  const encoded = await RecordBatchEncoder({
    compression: spec.compression,
    firstOffset: Long.fromValue(spec.firstOffset),
    firstTimestamp: spec.firstTimestamp,
    maxTimestamp: spec.firstTimestamp + 4_000,
    lastOffsetDelta: spec.records - 1,
    transactional: spec.transactional ?? false,
    producerId: Long.fromValue(spec.transactional ? 4711 : -1),
    records,
  });
  return Buffer.from(encoded.buffer);
}

/** The attributes int16 sits after firstOffset (8), length (4), leader epoch (4), magic (1) and CRC (4). */
function setAttributeBits(batch: Buffer, bits: number): Buffer {
  const copy = Buffer.from(batch);
  copy.writeInt16BE(copy.readInt16BE(21) | bits, 21);
  return copy;
}

async function decodeBoth(
  buffer: Buffer,
  ours: (d: Decoder) => Promise<unknown> = fastDecoder,
): Promise<{ expected: unknown; actual: unknown }> {
  const run = async (decode: (d: Decoder) => Promise<unknown>): Promise<unknown> => {
    const decoder = new DecoderClass(buffer);
    const batches: unknown[] = [];
    try {
      // as kafkajs' decodeMessages: another batch while at least a batch header's worth of bytes is left
      while (buffer.length - decoder.offset >= 49) batches.push(await decode(decoder));
      return { batches, offset: decoder.offset };
    } catch (error) {
      return { batches, error: `${(error as Error).name}: ${(error as Error).message}` };
    }
  };
  return { expected: await run(kafkajsRecordBatchDecoder), actual: await run(ours) };
}

/**
 * Same values (Buffers by content) and the same key order in every object (kafkajs' consumers see the objects as
 * they are); on a difference, the first differing line of both serialisations, not a diff of whole batches.
 */
function expectSameRecords(actual: unknown, expected: unknown): void {
  const a = serialize(actual);
  const e = serialize(expected);
  if (a === e) return;
  const aLines = a.split('\n');
  const eLines = e.split('\n');
  const first = aLines.findIndex((line, i) => line !== eLines[i]);
  expect({ line: first, actual: aLines[first] }).toEqual({ line: first, actual: eLines[first] });
}

function serialize(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (v !== null && typeof v === 'object' && (v as { type?: string }).type === 'Buffer') {
        return `buffer:${Buffer.from((v as { data: number[] }).data).toString('hex')}`;
      }
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return Object.entries(v as object);
      return v;
    },
    1,
  );
}

const CODECS = { none: 0, gzip: 1, lz4: 3 } as const;

type DecodedRecords = { batches: Array<{ records: Array<{ offset: string; timestamp: string }> }> };

/** Every record carries its offset and timestamp as the numbers its strings spell (records the fast path decoded). */
function expectRecordNumbers(actual: unknown): number {
  let records = 0;
  for (const batch of (actual as DecodedRecords).batches)
    for (const record of batch.records) {
      expect([recordOffsetNumber(record), recordTimestampNumber(record)]).toEqual([
        Number(record.offset),
        Number(record.timestamp),
      ]);
      records++;
    }
  return records;
}

describe('record-batch decoding (differential vs kafkajs 2.2.4)', () => {
  for (const [name, codec] of Object.entries(CODECS)) {
    it(`gives kafkajs' records for ${name} batches with headers, null keys and values, negative deltas`, async () => {
      const rnd = rng(codec + 17);
      fallbacks = 0;
      for (let round = 0; round < 20; round++) {
        const spec: BatchSpec = {
          compression: codec,
          firstOffset: Math.floor(rnd() * 2 ** 40),
          firstTimestamp: 1_763_800_000_000 + Math.floor(rnd() * 1e9),
          records: 1 + Math.floor(rnd() * 200),
          headers: rnd() < 0.7,
          transactional: rnd() < 0.5,
        };
        const buffer = Buffer.concat([await encodeBatch(spec, rnd), await encodeBatch(spec, rnd)]);
        const { expected, actual } = await decodeBoth(buffer);
        expectSameRecords(actual, expected);
        expect((actual as { batches: unknown[] }).batches).toHaveLength(2);
        expect(expectRecordNumbers(actual)).toBe(2 * spec.records);
      }
      expect(fallbacks).toBe(0);
    });
  }

  it('gives kafkajs records for control batches and log-append-time batches', async () => {
    const rnd = rng(5);
    for (const bits of [0x20, 0x08, 0x28 | 0x10]) {
      const batch = await encodeBatch(
        { compression: 0, firstOffset: 90, firstTimestamp: 1_700_000_000_000, records: 3, headers: false },
        rnd,
      );
      const { expected, actual } = await decodeBoth(setAttributeBits(batch, bits));
      expectSameRecords(actual, expected);
      const first = (actual as { batches: Array<{ records: Array<Record<string, unknown>> }> }).batches[0]!
        .records[0]!;
      if (bits & 0x20) expect(first.isControlRecord).toBe(true);
      if (bits & 0x08) expect(first.timestamp).toBe(String(1_700_000_000_000 + 4_000));
      expect(expectRecordNumbers(actual)).toBe(3);
    }
  });

  it('gives kafkajs results for a first timestamp of -1 and offsets near 2^53 (the Long path)', async () => {
    const rnd = rng(9);
    for (const spec of [
      { firstOffset: 0, firstTimestamp: -1 },
      { firstOffset: 2 ** 53 - 3, firstTimestamp: 1_700_000_000_000 },
    ]) {
      const batch = await encodeBatch({ compression: 0, records: 10, headers: true, ...spec }, rnd);
      const { expected, actual } = await decodeBoth(batch);
      expectSameRecords(actual, expected);
    }
    // past 2^53 the batch goes through kafkajs' decoder: its records carry no numbers, and readers parse the strings
    const beyond = await encodeBatch(
      {
        compression: 0,
        records: 10,
        headers: false,
        firstOffset: 2 ** 53 - 3,
        firstTimestamp: 1_700_000_000_000,
      },
      rnd,
    );
    const { actual } = await decodeBoth(beyond);
    const records = (actual as DecodedRecords).batches[0]!.records;
    expect(records).toHaveLength(10);
    for (const record of records) {
      expect(recordOffsetNumber(record)).toBeUndefined();
      expect(recordTimestampNumber(record)).toBeUndefined();
    }
  });

  it("throws kafkajs' partial-message error for a truncated tail, after the same complete batches", async () => {
    const rnd = rng(3);
    const spec = {
      compression: 3,
      firstOffset: 10,
      firstTimestamp: 1_700_000_000_000,
      records: 50,
      headers: true,
    };
    const whole = Buffer.concat([await encodeBatch(spec, rnd), await encodeBatch(spec, rnd)]);
    const ends: unknown[] = [];
    for (const cut of [whole.length - 1, whole.length - 100, Math.floor(whole.length / 2) + 30]) {
      const { expected, actual } = await decodeBoth(whole.subarray(0, cut));
      expectSameRecords(actual, expected);
      const { batches, error } = actual as { batches: unknown[]; error?: string };
      ends.push([batches.length, error?.split(':')[0]]);
    }
    // a tail of 49 bytes or more is a partial batch; a shorter one is not read (kafkajs' decodeMessages)
    expect(ends).toEqual([
      [1, 'KafkaJSPartialMessageError'],
      [1, 'KafkaJSPartialMessageError'],
      [1, undefined],
    ]);
  });

  it('falls back to kafkajs on corrupt record bytes and ends the same way (records or error)', async () => {
    const rnd = rng(11);
    const batch = await encodeBatch(
      {
        compression: 0,
        firstOffset: 5,
        firstTimestamp: 1_700_000_000_000,
        records: 8,
        headers: true,
        asciiValues: true,
      },
      rnd,
    );
    fallbacks = 0;
    // bytes after the batch header (61) up to the end: overwrite one record byte at a time with one-byte varints
    // (small lengths, counts and deltas, positive and negative) over ASCII values: with arbitrary garbage kafkajs
    // itself may read a count of millions of headers and run out of memory
    for (let position = 61; position < batch.length; position += 3) {
      for (const byte of [0x00, 0x01, 0x02, 0x41, 0x7f]) {
        const corrupt = Buffer.from(batch);
        corrupt[position] = byte;
        const { expected, actual } = await decodeBoth(corrupt);
        expectSameRecords(actual, expected);
      }
    }
    expect(fallbacks).toBeGreaterThan(100);
  });
});

describe('the cap on a compressed batch’s decompressed size', () => {
  const MiB = 1024 * 1024;
  /** The compressed records of a batch made by `encodeBatch`: after the 57-byte header and the record count. */
  const compressedRecords = (batch: Buffer): Buffer => batch.subarray(61);
  const withCap = (maxDecompressedBytes: number) =>
    createRecordBatchDecoder({ ...internals, maxDecompressedBytes });
  // as installKafkajsPatches: the capped GZIP codec in kafkajs' table (the LZ4 codec is the project's already)
  const kafkajsGzip = codecs.Codecs[CODECS.gzip]!;
  const gzipCodec = createGzipCodec();
  beforeAll(() => {
    codecs.Codecs[CODECS.gzip] = () => gzipCodec;
  });
  afterAll(() => {
    codecs.Codecs[CODECS.gzip] = kafkajsGzip;
  });

  /**
   * A batch made by kafkajs' encoder whose compressed records are `payload`: kafkajs' codec table lends the encoder
   * a codec that returns it whatever the records.
   */
  async function batchWith(
    codec: number,
    payload: Buffer,
    spec: Omit<BatchSpec, 'compression'>,
  ): Promise<Buffer> {
    const registered = codecs.Codecs[codec];
    codecs.Codecs[codec] = () => ({ compress: async () => payload });
    try {
      return await encodeBatch({ ...spec, compression: codec }, rng(1));
    } finally {
      codecs.Codecs[codec] = registered!;
    }
  }

  async function decodeError(decode: (d: Decoder) => Promise<unknown>, batch: Buffer): Promise<unknown> {
    try {
      await decode(new DecoderClass(batch));
    } catch (error) {
      return error;
    }
    throw new Error('decoded a batch beyond the cap');
  }

  for (const [name, codec] of [
    ['gzip', CODECS.gzip],
    ['lz4', CODECS.lz4],
  ] as const) {
    it(`decodes a ${name} batch exactly at a small cap as kafkajs does, and throws one byte below it`, async () => {
      const rnd = rng(codec + 40);
      const spec = { compression: codec, firstOffset: 7_000, firstTimestamp: 1_763_800_000_000, records: 60 };
      const batch = await encodeBatch({ ...spec, headers: true }, rnd);
      const size = (await compression.lookupCodecByAttributes(codec)!.decompress(compressedRecords(batch)))
        .length;
      expect(size).toBeGreaterThan(1000);
      fallbacks = 0;
      const { expected, actual } = await decodeBoth(batch, withCap(size));
      expectSameRecords(actual, expected);
      expect((actual as { batches: unknown[] }).batches).toHaveLength(1);
      expect(fallbacks).toBe(0);
      const error = await decodeError(withCap(size - 1), batch);
      expect(error).toMatchObject({
        code: KafkaErrorCodes.BATCH_TOO_LARGE,
        codec: name,
        maxDecompressedBytes: size - 1,
        firstOffset: '7000',
        lastOffset: '7059',
        retriable: false,
      });
    });
  }

  it('throws for a 200 MiB gzip bomb and a 256 MiB LZ4 bomb, naming the offsets, the cap and how to raise it', async () => {
    const spec = { firstOffset: 2 ** 40, firstTimestamp: 1_763_800_000_000, records: 3, headers: false };
    const bombs = [
      { codec: 'gzip', batch: await batchWith(CODECS.gzip, await gzipBomb(200 * MiB), spec) },
      { codec: 'lz4', batch: await batchWith(CODECS.lz4, lz4Bomb(256 * MiB), spec) },
    ];
    for (const { codec, batch } of bombs) {
      expect(batch.length).toBeLessThan(2 * MiB);
      const error = (await decodeError(withCap(4 * MiB), batch)) as Error & Record<string, unknown>;
      expect(error).toMatchObject({
        code: KafkaErrorCodes.BATCH_TOO_LARGE,
        codec,
        compressedBytes: batch.length - 61,
        maxDecompressedBytes: 4 * MiB,
        firstOffset: '1099511627776',
        lastOffset: '1099511627778',
      });
      expect(error.message).toBe(
        `TRIB_KAFKA_BATCH_TOO_LARGE: the ${codec}-compressed record batch at offsets 1099511627776..1099511627778 ` +
          `(${batch.length - 61} bytes compressed) decompresses to more than 4194304 bytes, the cap on a fetched ` +
          `batch's decompressed size; if such batches are legitimate, raise ` +
          `TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES (bytes, default 67108864), otherwise skip the batch by ` +
          `setting the consumer group's offset for its partition to 1099511627779`,
      );
    }
  });

  it('caps at 64 MiB by default, and validates the option', async () => {
    const spec = { firstOffset: 0, firstTimestamp: 1_763_800_000_000, records: 1, headers: false };
    const batch = await batchWith(CODECS.lz4, lz4Bomb(68 * MiB), spec);
    expect(await decodeError(fastDecoder, batch)).toMatchObject({
      code: KafkaErrorCodes.BATCH_TOO_LARGE,
      maxDecompressedBytes: DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
    });
    expect(() => withCap(0)).toThrow(/^TRIB_KAFKA_INVALID_OPTION: maxDecompressedBytes must be an integer/);
  });

  it('checks the output of a codec that ignores the cap (no memory bound then, but the same error)', async () => {
    const spec = { firstOffset: 10, firstTimestamp: 1_763_800_000_000, records: 2, headers: false };
    const batch = await batchWith(CODECS.gzip, Buffer.from('anything'), spec);
    let passed: unknown;
    const decode = createRecordBatchDecoder({
      ...internals,
      maxDecompressedBytes: 1000,
      lookupCodecByAttributes: () => ({
        decompress: async (_buffer: Buffer, options?: unknown) => {
          passed = options;
          return Buffer.alloc(1001);
        },
      }),
    });
    expect(await decodeError(decode, batch)).toMatchObject({
      code: KafkaErrorCodes.BATCH_TOO_LARGE,
      codec: 'gzip',
      firstOffset: '10',
      lastOffset: '11',
    });
    expect(passed).toEqual({ maxDecompressedBytes: 1000 });
  });
});

describe('Batch with numeric offset filtering (differential vs kafkajs 2.2.4)', () => {
  const FastBatch = createBatchClass(KafkajsBatch, filterAbortedMessages);
  const message = (offset: number, extra: object = {}) => ({
    offset: String(offset),
    isControlRecord: false,
    key: Buffer.from('k'),
    batchContext: { producerId: '7', inTransaction: false },
    ...extra,
  });
  const cases: Array<{ name: string; fetched: string; data: ConstructorParameters<typeof FastBatch>[2] }> = [
    {
      name: 'records before the fetched offset (compressed batch starting earlier)',
      fetched: '103',
      data: {
        partition: 1,
        highWatermark: '110',
        abortedTransactions: [],
        messages: [100, 101, 102, 103, 104].map((o) => message(o)),
      },
    },
    {
      name: 'control records and an aborted transaction',
      fetched: '0',
      data: {
        partition: 0,
        highWatermark: '9',
        abortedTransactions: [{ producerId: '7', firstOffset: '2' }],
        messages: [
          message(0),
          message(1),
          message(2, { batchContext: { producerId: '7', inTransaction: true } }),
          message(3, { batchContext: { producerId: '7', inTransaction: true } }),
          message(4, { isControlRecord: true, key: Buffer.from([0, 0, 0, 0]) }),
          message(5),
        ],
      },
    },
    {
      name: 'everything before the fetched offset (log compaction)',
      fetched: '50',
      data: {
        partition: 2,
        highWatermark: '60',
        abortedTransactions: [],
        messages: [10, 11].map((o) => message(o)),
      },
    },
    {
      name: 'empty',
      fetched: '7',
      data: { partition: 3, highWatermark: '7', abortedTransactions: [], messages: [] },
    },
    {
      name: 'offsets beyond 2^53 (kafkajs constructor)',
      fetched: '9007199254740993',
      data: {
        partition: 0,
        highWatermark: '9007199254740999',
        abortedTransactions: [],
        messages: ['9007199254740992', '9007199254740993', '9007199254740994'].map((o) => ({
          ...message(0),
          offset: o,
        })),
      },
    },
  ];
  for (const { name, fetched, data } of cases) {
    it(`same fields and offsets as kafkajs: ${name}`, () => {
      const expected = new KafkajsBatch('t', fetched, data);
      const actual = new FastBatch('t', fetched, data) as typeof expected;
      expect({ ...actual }).toEqual({ ...expected });
      expect(actual).toBeInstanceOf(KafkajsBatch);
      expect([actual.firstOffset(), actual.lastOffset(), actual.isEmpty()]).toEqual([
        expected.firstOffset(),
        expected.lastOffset(),
        expected.isEmpty(),
      ]);
    });
  }
});
