import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  decodeOffsetFetchV7Response,
  encodeOffsetFetchV7Request,
} from '../../src/offsets/offset-fetch-v7.js';

const require = createRequire(import.meta.url);
/** Hex bytes, one group a line, each line's comment after `#`. */
const hex = (text: string): Buffer =>
  Buffer.from(
    text
      .split('\n')
      .map((line) => line.replace(/#.*/, '').replace(/\s+/g, ''))
      .join(''),
    'hex',
  );

describe('OffsetFetch v7 request', () => {
  it('encodes the fields of OffsetFetchRequest.json v7 (hand-checked bytes)', () => {
    const body = encodeOffsetFetchV7Request({
      groupId: 'app',
      topics: [{ topic: 'events', partitions: [0, 2] }],
      requireStable: true,
    });
    expect(body.toString('hex')).toBe(
      hex(`
        04 617070  # group_id: COMPACT_STRING, length 3 + 1
        02  # topics: COMPACT_NULLABLE_ARRAY, 1 + 1 element
          07 6576656e7473  # name: "events", length 6 + 1
          03 00000000 00000002  # partition_indexes: COMPACT_ARRAY of INT32, 2 + 1 elements
          00  # topic's TAG_BUFFER
        01  # require_stable: BOOLEAN
        00  # TAG_BUFFER
      `).toString('hex'),
    );
  });

  it('writes null topics (all topics), require_stable false and a two-byte length', () => {
    const body = encodeOffsetFetchV7Request({ groupId: 'g'.repeat(200), topics: null, requireStable: false });
    expect(body.subarray(0, 2).toString('hex')).toBe('c901'); // 201 as an unsigned varint
    expect(body.subarray(202).toString('hex')).toBe('000000'); // null array, false, TAG_BUFFER
    expect(body).toHaveLength(205);
  });

  it("in kafkajs' frame (request header v1) the leading empty tag section makes request header v2", async () => {
    const createRequest = require('kafkajs/src/protocol/request.js') as (args: object) => Promise<{
      buffer: Buffer;
    }>;
    const Encoder = require('kafkajs/src/protocol/encoder.js') as new () => {
      writeBuffer(b: Buffer): object;
    };
    const body = encodeOffsetFetchV7Request({ groupId: 'app', topics: [], requireStable: true });
    const frame = await createRequest({
      correlationId: 5,
      clientId: 'c',
      request: {
        apiKey: 9,
        apiVersion: 7,
        encode: async () => new Encoder().writeBuffer(Buffer.concat([Buffer.of(0), body])),
      },
    });
    expect(frame.buffer.toString('hex')).toBe(
      hex(`
        00000013  # size: 19 (11 header v1 + 1 tag section + 7 body)
        0009 0007 00000005  # api key 9, version 7, correlation id 5
        0001 63  # client_id: STRING (not compact, in every header version)
        00  # request header v2's TAG_BUFFER
        04 617070 01 01 00  # group_id, topics [], require_stable, TAG_BUFFER
      `).toString('hex'),
    );
  });
});

/** A response after its correlation id: two partitions, one committed (no metadata), one UNSTABLE_OFFSET_COMMIT. */
const RESPONSE = hex(`
  00  # response header v1's TAG_BUFFER
  00000000  # throttle_time_ms
  02  # topics: 1 + 1
    07 6576656e7473  # name: "events"
    03  # partitions: 2 + 1
      00000000 000000000000002a ffffffff 01 0000 00  # partition 0, offset 42, epoch -1, metadata "", no error
      00000002 ffffffffffffffff 00000007 00 0058 00  # partition 2, offset -1, epoch 7, metadata null, error 88
    00  # topic's TAG_BUFFER
  0000  # error_code
  00  # TAG_BUFFER
`);

describe('OffsetFetch v7 response', () => {
  it('decodes the fields of OffsetFetchResponse.json v7, per-partition errors included', () => {
    expect(decodeOffsetFetchV7Response(RESPONSE)).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      topics: [
        {
          topic: 'events',
          partitions: [
            { partition: 0, offset: '42', leaderEpoch: -1, metadata: '', errorCode: 0 },
            { partition: 2, offset: '-1', leaderEpoch: 7, metadata: null, errorCode: 88 },
          ],
        },
      ],
    });
  });

  it('decodes a top-level error, a throttle time, offsets beyond 2^53 and skips unknown tagged fields', () => {
    const response = hex(`
      01 05 02 abcd  # header: one tagged field (tag 5, 2 bytes)
      000003e8  # throttle_time_ms 1000
      02 02 74 02  # topics: 1; name "t"; partitions: 1
        00000001 7fffffffffffffff ffffffff 04 6d6574 0000 01 00 01 ff  # metadata "met", a 1-byte tagged field
      00  # topic's TAG_BUFFER
      0010  # error_code 16 (NOT_COORDINATOR)
      00  # TAG_BUFFER
    `);
    expect(decodeOffsetFetchV7Response(response)).toEqual({
      throttleTimeMs: 1000,
      errorCode: 16,
      topics: [
        {
          topic: 't',
          partitions: [
            { partition: 1, offset: '9223372036854775807', leaderEpoch: -1, metadata: 'met', errorCode: 0 },
          ],
        },
      ],
    });
  });

  it('refuses truncated, trailing and impossible input with a coded error, allocating nothing for a hostile count', () => {
    const refusals = [
      RESPONSE.subarray(0, RESPONSE.length - 1),
      Buffer.concat([RESPONSE, Buffer.of(0)]),
      hex('00 00000000 ffffffff0f'), // 2^32 - 2 topics in 5 bytes
      hex('00 00000000 02 07 6576'), // a name longer than what is left
      hex('00 00000000 ffffffffff7f'), // a varint longer than 5 bytes
    ];
    for (const payload of refusals) {
      expect(() => decodeOffsetFetchV7Response(payload)).toThrow(
        expect.objectContaining({
          code: 'TRIB_KAFKA_OFFSET_FETCH_FAILED',
          message: expect.stringContaining('malformed OffsetFetch v7 response'),
        }),
      );
    }
  });
});
