import { describe, expect, it } from 'vitest';
import { installShutdownHandlers } from '../../src/runtime/shutdown.js';
import type { StreamJob } from '../../src/runtime/stream-job.js';

function fakeJob(stop: () => Promise<void>): StreamJob {
  return {
    stop,
    start: async () => {},
    metrics: {} as StreamJob['metrics'],
    state: 'running',
    done: Promise.resolve(),
    ownedPartitions: () => ({}),
    tableStats: () => ({}),
    registry: undefined,
    metricsUrl: undefined,
    health: () => ({ live: true, ready: true }),
    service: () => undefined,
  };
}

describe('installShutdownHandlers', () => {
  it('stops the job on the signal and exits 0; a second signal exits 1 at once', async () => {
    const codes: number[] = [];
    let release!: () => void;
    let stops = 0;
    const job = fakeJob(() => {
      stops += 1;
      return new Promise<void>((resolve) => (release = resolve));
    });
    const remove = installShutdownHandlers(job, { signals: ['SIGUSR2'], exit: (c) => codes.push(c) });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(codes).toEqual([1]);
      release();
      await new Promise((r) => setImmediate(r));
      expect(codes).toEqual([1, 0]);
      expect(stops).toBe(1);
    } finally {
      remove();
    }
  });

  it('exits 1 when stopping fails', async () => {
    const codes: number[] = [];
    const errors: unknown[] = [];
    const remove = installShutdownHandlers(
      fakeJob(() => Promise.reject(new Error('boom'))),
      {
        signals: ['SIGUSR2'],
        exit: (c) => codes.push(c),
        onError: (e) => errors.push(e),
      },
    );
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      await new Promise((r) => setImmediate(r));
      expect(codes).toEqual([1]);
      expect(errors).toHaveLength(1);
    } finally {
      remove();
    }
  });
});
