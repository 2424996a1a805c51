import { describe, expect, it } from 'vitest';
import { isRecordTooLarge, recordBytes, sendError } from '../../src/gateway/gateway-kafka.js';

describe('Kafka send errors as the gateway answers them', () => {
  const tooLarge = Object.assign(
    new Error('The request included a message larger than the max message size the server will accept'),
    { name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false },
  );

  it('recognises MESSAGE_TOO_LARGE and RECORD_LIST_TOO_LARGE, also wrapped by kafkajs', () => {
    expect(isRecordTooLarge(tooLarge)).toBe(true);
    expect(isRecordTooLarge({ name: 'KafkaJSProtocolError', type: 'RECORD_LIST_TOO_LARGE' })).toBe(true);
    const wrapped = Object.assign(new Error(tooLarge.message), {
      name: 'KafkaJSNonRetriableError',
      cause: tooLarge,
    });
    expect(isRecordTooLarge(wrapped)).toBe(true);
    expect(isRecordTooLarge(new Error('Connection error: ECONNREFUSED'))).toBe(false);
    expect(sendError(wrapped)).toMatchObject({ code: 'TRIB_PRODUCER_RECORD_TOO_LARGE', retriable: false });
    expect(sendError(Object.assign(new Error('down'), { name: 'KafkaJSConnectionError' }))).toMatchObject({
      code: 'TRIB_PRODUCER_SEND_FAILED',
      retriable: true,
    });
  });

  it('counts a record as key, value, headers and framing', () => {
    const bare = recordBytes({ key: null, value: Buffer.alloc(0) });
    expect(recordBytes({ key: 'abc', value: Buffer.alloc(100) })).toBe(bare + 103);
    expect(recordBytes({ key: null, value: Buffer.alloc(0), headers: { h: 'xy' } })).toBeGreaterThan(
      bare + 3,
    );
  });
});
