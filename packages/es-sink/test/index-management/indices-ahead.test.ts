import type { Client } from '@elastic/elasticsearch';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  INDICES_AHEAD_RETRY_MS,
  IndicesAhead,
  indicesAhead,
  indicesAheadIntervalMs,
} from '../../src/index-management/indices-ahead.js';

describe('indicesAhead', () => {
  it("names today's and tomorrow's index of a daily pattern", () => {
    expect(indicesAhead('metrics-{yyyy.MM.dd}', Date.UTC(2026, 11, 7, 12))).toEqual([
      'metrics-2026.12.07',
      'metrics-2026.12.08',
    ]);
    expect(indicesAhead('metrics-{yyyy.MM.dd}', Date.UTC(2026, 11, 31, 23, 30))).toEqual([
      'metrics-2026.12.31',
      'metrics-2027.01.01',
    ]);
  });

  it('steps by the finest date part: hours, minutes, months, years', () => {
    expect(indicesAhead('m-{yyyy.MM.dd.HH}', Date.UTC(2026, 11, 7, 9, 59))).toEqual([
      'm-2026.12.07.09',
      'm-2026.12.07.10',
    ]);
    expect(indicesAhead('m-{yyyy.MM.dd.HH.mm}', Date.UTC(2026, 11, 7, 9, 59))).toEqual([
      'm-2026.12.07.09.59',
      'm-2026.12.07.10.00',
    ]);
    expect(indicesAhead('m-{yyyy.MM}', Date.UTC(2026, 11, 31, 23))).toEqual(['m-2026.12', 'm-2027.01']);
    expect(indicesAhead('m-{yyyy}', Date.UTC(2026, 5, 1))).toEqual(['m-2026', 'm-2027']);
  });

  it('names nothing for a constant index', () => {
    expect(indicesAhead('metrics', Date.UTC(2026, 0, 1))).toEqual([]);
  });

  it('checks every 10 minutes, twice a minute for minute patterns', () => {
    expect(indicesAheadIntervalMs('metrics-{yyyy.MM.dd}')).toBe(600_000);
    expect(indicesAheadIntervalMs('m-{yyyy.MM.dd.HH.mm}')).toBe(30_000);
  });
});

/** A fake client whose `indices.create` answers through `answer` (and records the calls and their signals). */
function fakeClient(answer: (index: string, signal: AbortSignal) => Promise<unknown>) {
  const created: string[] = [];
  const client = {
    indices: {
      create: (params: { index: string }, options: { signal: AbortSignal }) => {
        created.push(params.index);
        return answer(params.index, options.signal);
      },
    },
  } as unknown as Client;
  return { client, created };
}

describe('IndicesAhead', () => {
  afterEach(() => vi.useRealTimers());
  const noon = Date.UTC(2026, 11, 7, 12);

  it('installs the template first, creates both indices, and again after the interval', async () => {
    vi.useFakeTimers();
    const order: string[] = [];
    const { client, created } = fakeClient(async (index) => void order.push(index));
    const ahead = new IndicesAhead({
      client,
      pattern: 'metrics-{yyyy.MM.dd}',
      now: () => noon,
      beforeCreate: async () => void order.push('template'),
    });
    await ahead.start();
    await ahead.start(); // idempotent
    expect(order).toEqual(['template', 'metrics-2026.12.07', 'metrics-2026.12.08']);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(created).toHaveLength(4);
    await ahead.stop();
    await vi.advanceTimersByTimeAsync(1_200_000);
    expect(created).toHaveLength(4);
  });

  it('never throws, and tries again soon after a failed pass (template or index)', async () => {
    vi.useFakeTimers();
    let templateFails = true;
    const { client, created } = fakeClient(async () => undefined);
    const ahead = new IndicesAhead({
      client,
      pattern: 'metrics-{yyyy.MM.dd}',
      now: () => noon,
      beforeCreate: async () => {
        if (templateFails) throw new Error('connect ECONNREFUSED');
      },
    });
    await expect(ahead.start()).resolves.toBeUndefined();
    expect(created).toEqual([]);
    templateFails = false;
    await vi.advanceTimersByTimeAsync(INDICES_AHEAD_RETRY_MS);
    expect(created).toEqual(['metrics-2026.12.07', 'metrics-2026.12.08']);
    await ahead.stop();
  });

  it('stop() cancels a request in flight and waits for the pass to end', async () => {
    let aborted = false;
    const { client, created } = fakeClient(
      (_index, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          }),
        ),
    );
    const ahead = new IndicesAhead({
      client,
      pattern: 'metrics-{yyyy.MM.dd}',
      now: () => noon,
      beforeCreate: async () => undefined,
    });
    const first = ahead.start();
    await vi.waitFor(() => expect(created).toHaveLength(1));
    await ahead.stop();
    await first;
    expect(aborted).toBe(true);
    expect(created).toHaveLength(1);
    await ahead.start(); // stopped: no new pass
    expect(created).toHaveLength(1);
  });
});
