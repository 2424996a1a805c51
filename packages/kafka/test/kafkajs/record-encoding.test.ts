import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createRecordEncoder, type RecordArgs } from '../../src/kafkajs/record-encoding.js';
import { rng } from '../../../../test/helpers/rng.js';

// Differential test: the fast record encoder against kafkajs 2.2.4's own, byte for byte.
const require = createRequire(import.meta.url);
const Encoder = require('kafkajs/src/protocol/encoder.js') as { prototype: object };
const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (r: RecordArgs) => {
  buffer: Buffer;
};
let fallbacks = 0;
const fastRecord = createRecordEncoder({
  Encoder,
  recordEncoder: kafkajsRecord as never,
  onFallback: () => fallbacks++,
}) as unknown as (r: RecordArgs) => { buffer: Buffer };

function outcome(encode: (r: RecordArgs) => { buffer: Buffer }, record: RecordArgs): string {
  try {
    return encode(record).buffer.toString('hex');
  } catch (error) {
    return `throws ${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('record encoding (differential vs kafkajs 2.2.4)', () => {
  it('writes the bytes kafkajs writes for random records (Buffer and string keys, values, headers; deltas)', () => {
    const rnd = rng(1);
    fallbacks = 0;
    const sizes = [0, 1, 63, 64, 127, 128, 300, 8191, 8192, 20_000];
    for (let i = 0; i < 3000; i++) {
      const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const headers: Record<string, Buffer> = {};
      const headerCount = pick([0, 0, 1, 3, 70]);
      for (let h = 0; h < headerCount; h++)
        headers[pick(['a', 'code', 'ünï', `h${h}`, ''])] = Buffer.alloc(pick(sizes), h);
      const record: RecordArgs = {
        offsetDelta: pick([0, 1, 63, 64, 8191, 8192, 2 ** 20, 2 ** 30 - 1, -1, -64, -65]),
        timestampDelta: pick([0, 1, -1, 63, -65, 1_000, -86_400_000, 2 ** 35, -(2 ** 40), 2 ** 47 - 1]),
        key: pick([
          null,
          undefined,
          Buffer.alloc(0),
          Buffer.from('user-42'),
          Buffer.alloc(pick(sizes), 7),
          '',
          '1:2:/p/ü',
        ]),
        value: pick([
          null,
          Buffer.alloc(pick(sizes), 3),
          Buffer.from(JSON.stringify({ n: i })),
          'x'.repeat(pick(sizes)),
        ]),
        headers: pick([headers, undefined]),
      };
      if (rnd() < 0.1) delete record.offsetDelta;
      expect(outcome(fastRecord, record)).toBe(outcome(kafkajsRecord, record));
    }
    expect(fallbacks).toBe(0);
  });

  it('goes through kafkajs for what the fast path does not take, with kafkajs’ bytes or error', () => {
    fallbacks = 0;
    const cases: RecordArgs[] = [
      { value: 42, key: 'k' },
      { value: Buffer.from('v'), key: { not: 'bytes' } },
      { value: Buffer.from('v'), headers: { a: 5 } },
      { value: Buffer.from('v'), timestampDelta: 2 ** 50 },
      { value: Buffer.from('v'), timestampDelta: 1.5 },
      { value: Buffer.from('v'), offsetDelta: 2 ** 31 },
    ];
    for (const record of cases) expect(outcome(fastRecord, record)).toBe(outcome(kafkajsRecord, record));
    expect(fallbacks).toBe(cases.length);
  });

  it('writes repeated headers (arrays) as kafkajs does, one header per element', () => {
    fallbacks = 0;
    const record = { value: Buffer.from('v'), headers: { a: [Buffer.from('1'), '2'], b: 'x' } };
    expect(outcome(fastRecord, record)).toBe(outcome(kafkajsRecord, record));
    expect(fallbacks).toBe(0);
  });

  it('writes a null header value (length −1), which kafkajs itself throws on', () => {
    const record = { value: Buffer.from('v'), headers: { none: null, many: [Buffer.from('x'), null] } };
    expect(outcome(kafkajsRecord, record)).toMatch(/^throws TypeError/);
    const bytes = fastRecord(record).buffer;
    // The same record with empty values, then each empty value's length byte (zigzag 0 = 0) replaced by −1 (1).
    const empty = fastRecord({
      value: Buffer.from('v'),
      headers: { none: '', many: [Buffer.from('x'), ''] },
    }).buffer;
    expect(bytes.length).toBe(empty.length);
    const decoded = decodeHeaders(bytes);
    expect(decoded).toEqual([
      ['none', null],
      ['many', 'x'],
      ['many', null],
    ]);
  });
});

/** The headers of one encoded record as [name, value] pairs (value null for length −1), with kafkajs' decoder. */
function decodeHeaders(record: Buffer): Array<[string, string | null]> {
  const Decoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => {
    readVarInt(): number;
    readInt8(): number;
    readVarLong(): unknown;
    readVarIntBytes(): Buffer | null;
    readVarIntString(): string;
    readVarIntArray<T>(fn: (d: unknown) => T): T[];
  };
  const d = new Decoder(record);
  d.readVarInt(); // length
  d.readInt8(); // attributes
  d.readVarLong(); // timestamp delta
  d.readVarInt(); // offset delta
  d.readVarIntBytes(); // key
  d.readVarIntBytes(); // value
  const count = d.readVarInt();
  const headers: Array<[string, string | null]> = [];
  for (let i = 0; i < count; i++) {
    const name = d.readVarIntString();
    const value = d.readVarIntBytes();
    headers.push([name, value === null ? null : value.toString()]);
  }
  return headers;
}
