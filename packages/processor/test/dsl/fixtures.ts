import type { EventCodec } from '../../src/dsl/logical-plan.js';

/** A test event: JSON `{ id, user, page, ts, type, amount }`. */
export interface Click {
  id: string;
  user: string;
  page: string;
  ts: number;
  type: 'click' | 'view' | 'unknown';
  amount: number;
}

export const clickCodec: EventCodec<Click> = {
  decode: (record) => {
    if (record.value === null) return { ok: false, code: 'TEST_EMPTY', reason: 'null value' };
    try {
      return { ok: true, event: JSON.parse(record.value.toString('utf8')) as Click };
    } catch {
      return { ok: false, code: 'TEST_DECODE', reason: 'not JSON' };
    }
  },
  eventTime: (e) => e.ts,
};

let next = 0;

/** The JSON bytes of a click (defaults for the fields left out). */
export function click(e: Partial<Click> & { ts: number }): Buffer {
  return Buffer.from(
    JSON.stringify({ id: `e${next++}`, user: 'u1', page: '/a', type: 'click', amount: 1, ...e }),
    'utf8',
  );
}

export const BROKERS = ['127.0.0.1:9092'];
