import { describe, expect, it } from 'vitest';
import { resolveGatewayOptions } from '../src/gateway/gateway-options.js';
import { LOAD_DEFAULTS, resolveLoadOptions } from '../src/load-options.js';

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
