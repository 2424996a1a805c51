import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ProducerError } from '../../src/errors.js';
import { crossThreadNow, deserializeError, serializeError } from '../../src/kafka/sender-protocol.js';

describe('errors across the sender thread boundary', () => {
  it('keeps a kafkajs error retriable and wraps it in the given code', () => {
    const kafkaError = Object.assign(new Error('Connection error: ECONNREFUSED'), {
      name: 'KafkaJSConnectionError',
      retriable: true,
    });
    const s = serializeError(kafkaError);
    expect(structuredClone(s)).toEqual({
      name: 'KafkaJSConnectionError',
      message: 'Connection error: ECONNREFUSED',
      retriable: true,
      code: undefined,
    });
    const e = deserializeError(s, 'TRIB_PRODUCER_SEND_FAILED', 'send of 10 records failed');
    expect(e).toBeInstanceOf(ProducerError);
    expect(e).toMatchObject({
      code: 'TRIB_PRODUCER_SEND_FAILED',
      retriable: true,
      message: 'send of 10 records failed: Connection error: ECONNREFUSED',
    });
  });

  it('keeps our own error code, and describes a thrown non-error', () => {
    const ours = new ProducerError('TRIB_PRODUCER_CONNECT_FAILED', 'cannot connect to Kafka at x:1', {
      retriable: true,
    });
    expect(deserializeError(serializeError(ours), 'TRIB_PRODUCER_SEND_FAILED', 'ignored')).toMatchObject({
      code: 'TRIB_PRODUCER_CONNECT_FAILED',
      message: 'cannot connect to Kafka at x:1',
      retriable: true,
    });
    expect(serializeError('boom')).toEqual({
      name: 'Error',
      message: 'boom',
      retriable: false,
      code: undefined,
    });
  });

  it('reads a clock that another thread reads the same way', async () => {
    const before = crossThreadNow();
    const worker = new Worker(
      "const { parentPort } = require('node:worker_threads'); " +
        'parentPort.postMessage(performance.timeOrigin + performance.now());',
      { eval: true },
    );
    const there = await new Promise<number>((resolve) => worker.once('message', resolve));
    const after = crossThreadNow();
    await worker.terminate();
    // The worker's own performance.now() starts near 0; anchored at its timeOrigin it falls between ours.
    expect(there).toBeGreaterThanOrEqual(before);
    expect(there).toBeLessThanOrEqual(after);
  });
});
