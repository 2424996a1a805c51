import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLz4Codec } from '../../src/lz4/lz4-codec.js';
import { createProduceRequest, produceRequestInternals } from '../../src/kafkajs/produce-request.js';
import { createRecordEncoder } from '../../src/kafkajs/record-encoding.js';

// Differential test: the Produce request v3 without the per-message spread against kafkajs 2.2.4's own, byte for byte
// (with kafkajs' record encoder and with the fast one), for every compression the processor can use.
const require = createRequire(import.meta.url);
const kafkajsRequest = require('kafkajs/src/protocol/requests/produce/v3/request.js') as (args: object) => {
  encode(): Promise<{ buffer: Buffer }>;
};
const compression = require('kafkajs/src/protocol/message/compression/index.js') as {
  Codecs: Record<number, () => unknown>;
};
compression.Codecs[3] = () => createLz4Codec();
const internals = produceRequestInternals(require);
const withKafkajsRecords = createProduceRequest(internals) as typeof kafkajsRequest;
const withFastRecords = createProduceRequest({
  ...internals,
  Record: createRecordEncoder({
    Encoder: require('kafkajs/src/protocol/encoder.js') as { prototype: object },
    recordEncoder: internals.Record as never,
  }) as never,
}) as typeof kafkajsRequest;

function topicData(seed: number): object[] {
  const message = (i: number) => ({
    key: [Buffer.from(`user-${i}`), `1:2:/p/${i}`, null][i % 3],
    value: [Buffer.alloc(i % 200, i), JSON.stringify({ i }), null][(i + seed) % 3],
    headers: i % 4 === 0 ? { 'tributary-error-code': `E${i}`, b: Buffer.from([i & 0xff]) } : undefined,
    timestamp: [String(1_763_800_000_000 + i * 7), 1_763_800_000_000 - i, undefined][(i * seed) % 3],
    partition: i % 3,
  });
  return [
    {
      topic: 'results',
      partitions: [
        { partition: 0, firstSequence: 5, messages: Array.from({ length: 40 }, (_, i) => message(i)) },
        { partition: 2, firstSequence: 0, messages: Array.from({ length: 3 }, (_, i) => message(i + 100)) },
      ],
    },
    { topic: 'changelog', partitions: [{ partition: 1, messages: [message(7)] }] },
  ];
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Produce request v3 (differential vs kafkajs 2.2.4)', () => {
  for (const [name, codec] of [
    ['none', 0],
    ['gzip', 1],
    ['lz4', 3],
  ] as const) {
    it(`encodes kafkajs' bytes (${name}; transactional and not; timestamps as strings, numbers and absent)`, async () => {
      vi.spyOn(Date, 'now').mockReturnValue(1_763_900_000_000);
      for (const seed of [1, 2, 5]) {
        for (const transactionalId of [null, 'app-input-3']) {
          const args = {
            acks: -1,
            timeout: 30_000,
            transactionalId,
            producerEpoch: 4,
            compression: codec,
            topicData: topicData(seed),
          };
          const expected = (await kafkajsRequest(args).encode()).buffer.toString('hex');
          expect((await withKafkajsRecords(args).encode()).buffer.toString('hex')).toBe(expected);
          expect((await withFastRecords(args).encode()).buffer.toString('hex')).toBe(expected);
        }
      }
      const request = withFastRecords({ acks: 0, timeout: 1, topicData: [] }) as unknown as Record<
        string,
        unknown
      >;
      const theirs = kafkajsRequest({ acks: 0, timeout: 1, topicData: [] }) as unknown as Record<
        string,
        unknown
      >;
      expect([request.apiKey, request.apiVersion, request.apiName]).toEqual([
        theirs.apiKey,
        theirs.apiVersion,
        theirs.apiName,
      ]);
      expect((request.expectResponse as () => boolean)()).toBe(false);
    });
  }
});
