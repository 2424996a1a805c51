import type { DecodeResult } from '../../src/engine/decoder.js';
import type { WindowedResult } from '../../src/engine/window-result.js';
import type { InputRecord, OutputRecord } from '../../src/task/partition-task.js';
import { rng } from '../../../../test/helpers/rng.js';

export { rng };

/** A tiny test event: JSON `{ id, user, page, ts, type }`. */
export interface TestEvent {
  id: string;
  user: string;
  page: string;
  ts: number;
  eventType: 'CLICK' | 'VIEW';
}

export function decodeTestEvent(record: InputRecord): DecodeResult<TestEvent> {
  if (record.value === null) return { ok: false, code: 'TEST_EMPTY', reason: 'empty value' };
  try {
    const e = JSON.parse(record.value.toString('utf8')) as TestEvent;
    if (typeof e.ts !== 'number') return { ok: false, code: 'TEST_MISSING_TS', reason: 'ts missing' };
    return { ok: true, event: e };
  } catch {
    return { ok: false, code: 'TEST_DECODE', reason: 'not JSON' };
  }
}

/** Builds input records for one partition with consecutive offsets. */
export class Log {
  readonly records: InputRecord[] = [];
  constructor(
    readonly topic = 'events',
    readonly partition = 0,
  ) {}

  event(e: Partial<TestEvent> & { ts: number }): InputRecord {
    const full: TestEvent = {
      id: e.id ?? `id-${this.records.length}`,
      user: e.user ?? 'u1',
      page: e.page ?? '/home',
      ts: e.ts,
      eventType: e.eventType ?? 'CLICK',
    };
    return this.raw(Buffer.from(JSON.stringify(full)), Buffer.from(full.user));
  }

  raw(value: Buffer | null, key: Buffer | null = null): InputRecord {
    const r: InputRecord = {
      topic: this.topic,
      partition: this.partition,
      offset: this.records.length,
      timestamp: 1,
      key,
      value,
      headers: {},
    };
    this.records.push(r);
    return r;
  }
}

export function parseResults(outputs: OutputRecord[], output = 'results'): Array<Record<string, unknown>> {
  return outputs
    .filter((o) => o.output === output)
    .map((o) => JSON.parse(o.value!.toString('utf8')) as Record<string, unknown>);
}

/** The window results on the results output, as the default JSON result encoder wrote them. */
export function windowedResults<R>(outputs: OutputRecord[]): WindowedResult<R>[] {
  return parseResults(outputs) as unknown as WindowedResult<R>[];
}

/**
 * A random, messy event log: mostly increasing timestamps with out-of-order jitter, some very late events,
 * duplicates (same id re-sent later) and malformed records.
 */
export function messyEvents(
  seed: number,
  count: number,
  start = 1_700_000_000_000,
): Array<TestEvent | 'malformed'> {
  const r = rng(seed);
  const out: Array<TestEvent | 'malformed'> = [];
  let t = start;
  const sent: TestEvent[] = [];
  for (let i = 0; i < count; i++) {
    t += Math.floor(r() * 3000);
    const roll = r();
    if (roll < 0.03) {
      out.push('malformed');
      continue;
    }
    if (roll < 0.08 && sent.length > 0) {
      out.push(sent[Math.floor(r() * sent.length)]!); // duplicate
      continue;
    }
    let ts = t - Math.floor(r() * 4000); // within the bound mostly
    if (roll < 0.12) ts = t - 60_000 - Math.floor(r() * 120_000); // very late
    const e: TestEvent = {
      id: `e${i}`,
      user: `u${Math.floor(r() * 7)}`,
      page: `/p${Math.floor(r() * 5)}`,
      ts,
      eventType: r() < 0.4 ? 'CLICK' : 'VIEW',
    };
    sent.push(e);
    out.push(e);
  }
  return out;
}

export interface ReferenceWindow {
  key: string;
  windowStart: number;
  windowEnd: number;
  clickCount: number;
  viewCount: number;
}

/**
 * The shared event-time contract, written independently of the engine: per partition in order, late when
 * windowEnd + L <= maxTs - B, duplicate when the id was accepted and wm < ts_of_first + ttl, else counted.
 */
export function referenceCounts(
  partitions: Array<Array<TestEvent | 'malformed'>>,
  keyOf: (e: TestEvent) => string,
  o: { sizeMs: number; boundMs: number; latenessMs: number; ttlMs: number },
): ReferenceWindow[] {
  const windows = new Map<string, ReferenceWindow>();
  for (const events of partitions) {
    let maxTs = Number.NEGATIVE_INFINITY;
    const seen = new Map<string, number>();
    for (const e of events) {
      if (e === 'malformed') continue;
      const wm = maxTs - o.boundMs;
      const start = Math.floor(e.ts / o.sizeMs) * o.sizeMs;
      const end = start + o.sizeMs;
      if (end + o.latenessMs > wm) {
        const first = seen.get(e.id);
        if (first === undefined || wm >= first + o.ttlMs) {
          seen.set(e.id, e.ts);
          const key = keyOf(e);
          const id = `${start}|${key}`;
          const w = windows.get(id) ?? {
            key,
            windowStart: start,
            windowEnd: end,
            clickCount: 0,
            viewCount: 0,
          };
          if (e.eventType === 'CLICK') w.clickCount++;
          else w.viewCount++;
          windows.set(id, w);
        }
      }
      maxTs = Math.max(maxTs, e.ts);
    }
  }
  return [...windows.values()].sort((a, b) => a.windowStart - b.windowStart || a.key.localeCompare(b.key));
}

/** Latest version per (key, window) from a stream of result outputs. */
export function latestByWindow<T extends { key: string; windowStart: number; version: number }>(
  results: T[],
): T[] {
  const latest = new Map<string, T>();
  for (const r of results) {
    const id = `${r.windowStart}|${r.key}`;
    const prev = latest.get(id);
    if (prev === undefined || r.version > prev.version) latest.set(id, r);
  }
  return [...latest.values()].sort((a, b) => a.windowStart - b.windowStart || a.key.localeCompare(b.key));
}

/** `messyEvents(seed, count)` as the records of one input partition (malformed ones as undecodable bytes). */
export function messyRecords(seed: number, count: number): InputRecord[] {
  const log = new Log();
  return messyEvents(seed, count).map((e) =>
    e === 'malformed' ? log.raw(Buffer.from('garbage')) : log.event(e),
  );
}
