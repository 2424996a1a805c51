import { describe, expect, it } from 'vitest';
import {
  isRetriableFetchError,
  OffsetFetchBackoff,
  offsetFetchOutcome,
} from '../../src/offsets/offset-fetch-retry.js';
import type { OffsetFetchV7Response } from '../../src/offsets/offset-fetch-v7.js';

function response(errorCode: number, partitionErrors: number[]): OffsetFetchV7Response {
  return {
    throttleTimeMs: 0,
    errorCode,
    topics: [
      {
        topic: 'events',
        partitions: partitionErrors.map((code, partition) => ({
          partition,
          offset: '5',
          leaderEpoch: -1,
          metadata: null,
          errorCode: code,
        })),
      },
    ],
  };
}

describe('offsetFetchOutcome', () => {
  it('returns the offsets when no partition has an error', () => {
    expect(offsetFetchOutcome(response(0, [0, 0]))).toEqual({ kind: 'offsets' });
  });

  it('retries UNSTABLE_OFFSET_COMMIT on the coordinator, and finds it again when it moved', () => {
    expect(offsetFetchOutcome(response(0, [0, 88]))).toEqual({
      kind: 'retry',
      errorCode: 88,
      findCoordinator: false,
      where: 'events partition 1',
    });
    expect(offsetFetchOutcome(response(14, []))).toMatchObject({ kind: 'retry', findCoordinator: false });
    for (const code of [15, 16]) {
      expect(offsetFetchOutcome(response(code, [88]))).toEqual({
        kind: 'retry',
        errorCode: code,
        findCoordinator: true,
        where: 'group',
      });
    }
  });

  it('fails on an error no retry fixes, at the top or on any partition, before retrying another', () => {
    expect(offsetFetchOutcome(response(30, [0]))).toEqual({ kind: 'fail', errorCode: 30, where: 'group' });
    expect(offsetFetchOutcome(response(0, [88, 3]))).toEqual({
      kind: 'fail',
      errorCode: 3,
      where: 'events partition 1',
    });
  });
});

describe('isRetriableFetchError', () => {
  it("retries kafkajs' retriable errors and its coordinator lookup giving up, nothing else", () => {
    const error = (name: string, fields: object = {}) => Object.assign(new Error('x'), { name }, fields);
    expect(isRetriableFetchError(error('KafkaJSConnectionClosedError', { retriable: true }))).toBe(true);
    expect(isRetriableFetchError(error('KafkaJSGroupCoordinatorNotFound', { retriable: false }))).toBe(true);
    expect(isRetriableFetchError(error('KafkaJSNumberOfRetriesExceeded', { retriable: false }))).toBe(true);
    expect(isRetriableFetchError(error('KafkaJSSASLAuthenticationError', { retriable: false }))).toBe(false);
    expect(isRetriableFetchError(error('KafkaError', { code: 'TRIB_KAFKA_OFFSET_FETCH_FAILED' }))).toBe(
      false,
    );
    expect(isRetriableFetchError(new TypeError('bug'))).toBe(false);
    expect(isRetriableFetchError('text')).toBe(false);
  });
});

describe('OffsetFetchBackoff', () => {
  it('doubles up to the cap, cuts the last delay at the deadline, then gives up', () => {
    let now = 1_000;
    const backoff = new OffsetFetchBackoff(
      { timeoutMs: 1_000, initialRetryMs: 100, maxRetryMs: 300 },
      () => now,
    );
    const delays: number[] = [];
    for (let delay = backoff.next(); delay !== undefined; delay = backoff.next()) {
      delays.push(delay);
      now += delay;
    }
    expect(delays).toEqual([100, 200, 300, 300, 100]);
    expect(backoff.retries).toBe(5);
  });

  it('with a timeout of 0 makes one attempt only', () => {
    const backoff = new OffsetFetchBackoff({ timeoutMs: 0, initialRetryMs: 100, maxRetryMs: 300 }, () => 7);
    expect(backoff.next()).toBeUndefined();
  });
});
