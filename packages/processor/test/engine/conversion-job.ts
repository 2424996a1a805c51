import type { DecodeResult } from '../../src/engine/decoder.js';
import { intervalJoinStages, type IntervalJoinStages } from '../../src/engine/interval-join-job.js';
import type { InputRecord } from '../../src/task/partition-task.js';
import { rng } from './fixtures.js';

export interface Click {
  id: string;
  user: string;
  ts: number;
}
export interface Order extends Click {
  amount: number;
}

function json<E extends { ts: number }>(record: InputRecord): DecodeResult<E> {
  try {
    const e = JSON.parse(record.value?.toString('utf8') ?? '') as E;
    if (typeof e.ts !== 'number') return { ok: false, code: 'TEST_NO_TS', reason: 'no ts' };
    return { ok: true, event: e };
  } catch {
    return { ok: false, code: 'TEST_DECODE', reason: 'not JSON' };
  }
}

export const MINUTE = 60_000;
export const T0 = 1_700_000_000_000;

/** Clicks joined with orders of the same user placed within 30 minutes after the click. */
export function conversionStages(
  topics: { clicks: string; orders: string } = { clicks: 'clicks', orders: 'orders' },
): IntervalJoinStages {
  return intervalJoinStages({
    left: {
      topic: topics.clicks,
      decode: json<Click>,
      timestampOf: (c) => c.ts,
      keyOf: (c) => c.user,
      eventIdOf: (c) => c.id,
      outOfOrdernessMs: 10_000,
    },
    right: {
      topic: topics.orders,
      decode: json<Order>,
      timestampOf: (o) => o.ts,
      keyOf: (o) => o.user,
      eventIdOf: (o) => o.id,
      outOfOrdernessMs: 10_000,
    },
    lowerMs: 0,
    upperMs: 30 * MINUTE,
    joiner: (click: Click, order: Order) => ({ click: click.id, order: order.id, amount: order.amount }),
  });
}

/** Two hours of clicks and orders of 20 users, in time order (jitter below the out-of-orderness). */
export function workload(seed: number): { clicks: Click[]; orders: Order[] } {
  const r = rng(seed);
  const clicks: Click[] = [];
  const orders: Order[] = [];
  for (let i = 0; i < 600; i++) {
    const ts = T0 + i * 12_000 - Math.floor(r() * 5_000);
    const user = `u${Math.floor(r() * 20)}`;
    if (r() < 0.7) clicks.push({ id: `c${i}`, user, ts });
    else orders.push({ id: `o${i}`, user, ts, amount: Math.floor(r() * 100) });
  }
  return { clicks, orders };
}

export function expected(clicks: Click[], orders: Order[]): string[] {
  return clicks
    .flatMap((c) =>
      orders
        .filter((o) => o.user === c.user && o.ts - c.ts >= 0 && o.ts - c.ts <= 30 * MINUTE)
        .map((o) => `${c.id}>${o.id}`),
    )
    .sort();
}

/** The conversions in the values of a results topic, as sorted `click>order` strings (a multiset). */
export function conversionIds(values: ReadonlyArray<Buffer | null>): string[] {
  return values
    .map((v) => JSON.parse(v!.toString('utf8')) as { click: string; order: string })
    .map((c) => `${c.click}>${c.order}`)
    .sort();
}
