import { describe, expect, it } from 'vitest';
import { resolveGatewayOptions } from '../src/gateway/gateway-options.js';
import { defaultEventTimeOrigin, LOAD_DEFAULTS, resolveLoadOptions } from '../src/load-options.js';
import { ClickstreamGenerator } from '../src/workload/generator.js';

describe('resolveLoadOptions', () => {
  it('fills defaults and keeps count-bounded runs unbounded in time', () => {
    const o = resolveLoadOptions({});
    expect(o).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      topic: 'clickstream-events',
      rate: 10_000,
      durationMs: 30_000,
      compression: 'lz4',
    });
    expect(resolveLoadOptions({ count: 10 })).toMatchObject({ count: 10, durationMs: undefined });
    expect(resolveLoadOptions({ senderThreads: 2 }).senderThreads).toBe(2);
    expect(resolveLoadOptions({ senderThreads: 'auto' }).senderThreads).toBe('auto');
    expect(Object.isFrozen(LOAD_DEFAULTS)).toBe(true);
  });

  it('rejects bad options naming the option and the constraint', () => {
    expect(() => resolveLoadOptions({ rate: -1 })).toThrow(
      /^rate must be a finite number between 0 and 100000000 \(got -1\)$/,
    );
    expect(() => resolveLoadOptions({ brokers: ['localhost'] })).toThrow(
      /brokers entries must look like host:port/,
    );
    expect(() => resolveLoadOptions({ compression: 'brotli' as never })).toThrow(
      /compression must be one of none, gzip, lz4, snappy, zstd/,
    );
    expect(() => resolveLoadOptions({ topic: 'bad topic' })).toThrow(/topic must be 1-249 characters/);
    expect(() => resolveLoadOptions({ lateRate: 1.5 })).toThrow(/lateRate/);
    expect(() => resolveLoadOptions({ lateRte: 0.1 } as never)).toThrow(
      /options.lateRte is not a known option/,
    );
    expect(() => resolveLoadOptions({ maxInFlightBatches: 0 })).toThrow(
      /maxInFlightBatches must be an integer/,
    );
    expect(() => resolveLoadOptions({ producers: 0 })).toThrow(
      /^producers must be an integer between 1 and 64 \(got 0\)$/,
    );
    expect(() => resolveLoadOptions({ producers: 1.5 })).toThrow(/producers must be an integer/);
    expect(() => resolveLoadOptions({ senderThreads: -1 })).toThrow(
      /^senderThreads must be 'auto' or an integer between 0 and 64 \(got -1\)$/,
    );
    expect(() => resolveLoadOptions({ senderThreads: 'one' as never })).toThrow(
      /^senderThreads must be 'auto' or an integer between 0 and 64 \(got "one"\)$/,
    );
  });
});

describe('resolveGatewayOptions', () => {
  it('fills defaults and validates', () => {
    expect(resolveGatewayOptions({})).toMatchObject({
      port: 8080,
      maxBodyBytes: 1_048_576,
      retryAfterSeconds: 1,
    });
    expect(() => resolveGatewayOptions({ port: 70_000 })).toThrow(
      /port must be an integer between 0 and 65535/,
    );
    expect(() => resolveGatewayOptions({ maxInFlightEvents: 0 })).toThrow(/maxInFlightEvents/);
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
