import { describe, expect, it } from 'vitest';
import { GATEWAY_OPTIONS } from '../src/gateway/gateway-options.js';
import { defaultEventTimeOrigin, LOAD_OPTIONS, workloadOptionsOf } from '../src/load-options.js';
import { ClickstreamGenerator } from '../src/workload/generator.js';

describe('LOAD_OPTIONS', () => {
  it('fills defaults', () => {
    const o = LOAD_OPTIONS.resolve({});
    expect(o).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      clientId: 'tributary-produce',
      topic: 'clickstream-events',
      rate: 10_000,
      durationMs: 30_000,
      compression: 'lz4',
      senderThreads: 'auto',
      windowSizeMs: 60_000,
      seed: 42,
    });
    expect(o.count).toBeUndefined();
    expect(LOAD_OPTIONS.resolve({ senderThreads: 2 }).senderThreads).toBe(2);
    expect(LOAD_OPTIONS.resolve({ durationMs: '2m', lingerMs: 0.5 })).toMatchObject({
      durationMs: 120_000,
      lingerMs: 0.5,
    });
  });

  it('hands the clickstream options, not the per-run ones, to the generator', () => {
    const workload = workloadOptionsOf(LOAD_OPTIONS.resolve({ seed: 7, partitions: 3, lateRate: 0.1 }));
    expect(workload).toMatchObject({ seed: 7, lateRate: 0.1, windowSizeMs: 60_000 });
    expect(workload).not.toHaveProperty('partitions');
    expect(workload).not.toHaveProperty('eventsPerSecond');
  });

  it('rejects bad options naming the option and the constraint', () => {
    expect(() => LOAD_OPTIONS.resolve({ rate: -1 })).toThrow(/^rate must be >= 0 \(got -1\)$/);
    expect(() => LOAD_OPTIONS.resolve({ brokers: ['localhost'] })).toThrow(
      /^brokers.0 must look like host:port \(got "localhost"\)$/,
    );
    expect(() => LOAD_OPTIONS.resolve({ compression: 'brotli' as never })).toThrow(
      /compression must be one of none, gzip, lz4, snappy, zstd/,
    );
    expect(() => LOAD_OPTIONS.resolve({ topic: 'bad topic' })).toThrow(/topic must be 1-249 characters/);
    expect(() => LOAD_OPTIONS.resolve({ lateRate: 1.5 })).toThrow(/lateRate/);
    expect(() => LOAD_OPTIONS.resolve({ lateRte: 0.1 } as never)).toThrow(
      /^lateRte is not an option of runLoad$/,
    );
    expect(() => LOAD_OPTIONS.resolve({ windowOffsetMs: 60_000 })).toThrow(
      /^windowOffsetMs must be < windowSizeMs 60000 \(got 60000\)$/,
    );
    expect(() => LOAD_OPTIONS.resolve({ maxInFlightBatches: 0 })).toThrow(
      /^maxInFlightBatches must be >= 1 \(got 0\)$/,
    );
    expect(() => LOAD_OPTIONS.resolve({ producers: 0 })).toThrow(/^producers must be >= 1 \(got 0\)$/);
    expect(() => LOAD_OPTIONS.resolve({ producers: 65 })).toThrow(/^producers must be <= 64 \(got 65\)$/);
    expect(() => LOAD_OPTIONS.resolve({ producers: 1.5 })).toThrow(/producers must be an integer/);
    expect(() => LOAD_OPTIONS.resolve({ senderThreads: -1 })).toThrow(
      /^senderThreads must be >= 0 \(got -1\)$/,
    );
    expect(() => LOAD_OPTIONS.resolve({ senderThreads: 'one' as never })).toThrow(
      /^senderThreads must be 'auto' or an integer from 0 to 64 \(got "one"\)$/,
    );
  });
});

describe('GATEWAY_OPTIONS', () => {
  it('fills defaults and validates', () => {
    expect(GATEWAY_OPTIONS.resolve({})).toMatchObject({
      port: 8080,
      maxBodyBytes: 1_048_576,
      retryAfterSeconds: 1,
    });
    expect(GATEWAY_OPTIONS.defaults).toMatchObject({
      clientId: 'tributary-ingest-gateway',
      retries: 2,
      requestTimeoutMs: 10_000,
    });
    expect(() => GATEWAY_OPTIONS.resolve({ port: 70_000 })).toThrow(/^port must be <= 65535 \(got 70000\)$/);
    expect(() => GATEWAY_OPTIONS.resolve({ maxInFlightEvents: 0 })).toThrow(/maxInFlightEvents/);
  });
});

describe('defaultEventTimeOrigin', () => {
  const wall = Date.UTC(2026, 5, 1);

  it('is the start when paced or bounded by duration', () => {
    expect(defaultEventTimeOrigin({ rate: 10_000, count: 5_000_000 }, wall, 10_000)).toBe(wall);
    expect(defaultEventTimeOrigin({ rate: 0, count: undefined }, wall, 10_000)).toBe(wall);
    expect(defaultEventTimeOrigin({ rate: 0, count: 1 }, wall, 10_000)).toBe(wall);
  });

  it('ends an unthrottled run of a known count at the start, never in the future', () => {
    for (const [count, eps] of [
      [5_000_000, 10_000],
      [7, 3],
      [1_000_001, 333.3],
    ] as const) {
      const origin = defaultEventTimeOrigin({ rate: 0, count }, wall, eps);
      const generator = new ClickstreamGenerator({
        partitions: 4,
        eventsPerSecond: eps,
        eventTimeOriginMs: origin,
      });
      const last = generator.scheduledTimestamp(count - 1);
      expect(last).toBeLessThanOrEqual(wall);
      expect(last).toBeGreaterThanOrEqual(wall - 1);
      expect(generator.scheduledTimestamp(0)).toBe(origin);
    }
  });
});
