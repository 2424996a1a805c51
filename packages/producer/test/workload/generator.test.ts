import { createHash } from 'node:crypto';
import {
  decodeAndValidateClickstreamEvent,
  decodeClickstreamEvent,
  encodeClickstreamEvent,
} from '@tributary/schema';
import { describe, expect, it } from 'vitest';
import { GroundTruthAccumulator, Verdicts } from '../../src/ground-truth/ground-truth.js';
import type { Verdict } from '../../src/ground-truth/ground-truth.js';
import { partitionForKey } from '@tributary/kafka';
import { ClickstreamGenerator } from '../../src/workload/generator.js';
import { FaultKinds, MalformedKinds } from '../../src/workload/faults.js';
import type { FaultKind } from '../../src/workload/faults.js';

const FAULTY = { outOfOrderRate: 0.05, lateRate: 0.01, duplicateRate: 0.01, malformedRate: 0.001 };

function digest(gen: ClickstreamGenerator, n: number): string {
  const h = createHash('sha256');
  for (let i = 0; i < n; i++) {
    const r = gen.next();
    h.update(`${r.key}|${r.partition}|`);
    h.update(r.value);
  }
  return h.digest('hex');
}

const EXPECTED_VERDICT: Record<FaultKind, Verdict> = {
  [FaultKinds.NONE]: Verdicts.ACCEPTED,
  [FaultKinds.OUT_OF_ORDER]: Verdicts.ACCEPTED,
  [FaultKinds.LATE]: Verdicts.LATE,
  [FaultKinds.DUPLICATE]: Verdicts.DUPLICATE,
  [FaultKinds.MALFORMED]: Verdicts.DEAD_LETTER,
};

describe('ClickstreamGenerator', () => {
  it('produces a byte-identical stream for the same seed and a different one for another seed', () => {
    const a = digest(new ClickstreamGenerator({ seed: 42, ...FAULTY }), 20_000);
    const b = digest(new ClickstreamGenerator({ seed: 42, ...FAULTY }), 20_000);
    const c = digest(new ClickstreamGenerator({ seed: 43, ...FAULTY }), 20_000);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('honours injection rates within tolerance over 50k events', () => {
    const gen = new ClickstreamGenerator({ seed: 7, ...FAULTY });
    const n = 50_000;
    const seen = { 'out-of-order': 0, late: 0, duplicate: 0, malformed: 0, none: 0 };
    for (let i = 0; i < n; i++) seen[gen.next().fault]++;
    const within = (count: number, rate: number) => {
      const expected = rate * n;
      expect(Math.abs(count - expected)).toBeLessThan(4 * Math.sqrt(expected) + 1);
    };
    within(seen['out-of-order'], FAULTY.outOfOrderRate);
    within(seen.late, FAULTY.lateRate);
    within(seen.duplicate, FAULTY.duplicateRate);
    within(seen.malformed, FAULTY.malformedRate);
    expect(gen.injected).toEqual({
      outOfOrder: seen['out-of-order'],
      late: seen.late,
      duplicates: seen.duplicate,
      malformed: seen.malformed,
    });
  });

  it('injects faults that the contract rules classify exactly as intended', () => {
    const gen = new ClickstreamGenerator({
      seed: 11,
      partitions: 3,
      eventsPerSecond: 200,
      ...FAULTY,
      lateRate: 0.03,
    });
    const acc = new GroundTruthAccumulator({ partitions: 3 });
    for (let i = 0; i < 30_000; i++) {
      const r = gen.next();
      expect(acc.add({ partition: r.partition, value: r.value })).toBe(EXPECTED_VERDICT[r.fault]);
    }
    const injected = gen.injected;
    expect(acc.totals).toEqual({
      sent: 30_000,
      accepted: 30_000 - injected.late - injected.duplicates - injected.malformed,
      late: injected.late,
      duplicates: injected.duplicates,
      deadLettered: injected.malformed,
    });
    expect(injected.late).toBeGreaterThan(0);
  });

  it('keys by user id, partitions by murmur2 and stamps event time from the schedule', () => {
    const gen = new ClickstreamGenerator({
      seed: 5,
      partitions: 6,
      eventsPerSecond: 1000,
      eventTimeOriginMs: 1_750_000_000_000,
    });
    for (let i = 0; i < 2000; i++) {
      const r = gen.next();
      expect(r.seq).toBe(i);
      expect(r.fault).toBe(FaultKinds.NONE);
      const e = decodeClickstreamEvent(r.value);
      expect(e).toEqual(r.event);
      expect(r.key).toBe(e.userId);
      expect(r.partition).toBe(partitionForKey(r.key, 6));
      expect(e.timestamp).toBe(1_750_000_000_000 + i);
      expect(e.eventId).toBe(`e5-${i.toString(36)}`);
      expect(['CLICK', 'VIEW']).toContain(e.eventType);
      expect(e.pageUrl).toMatch(/^\/products\/\d+$/);
    }
  });

  it('moves out-of-order events back by at most the bound', () => {
    const gen = new ClickstreamGenerator({ seed: 1, outOfOrderRate: 0.5, outOfOrdernessMs: 3000 });
    let moved = 0;
    for (let i = 0; i < 5000; i++) {
      const r = gen.next();
      const scheduled = gen.scheduledTimestamp(r.seq);
      if (r.fault === FaultKinds.OUT_OF_ORDER) {
        moved++;
        expect(scheduled - r.event.timestamp).toBeGreaterThanOrEqual(1);
        expect(scheduled - r.event.timestamp).toBeLessThanOrEqual(3000);
      } else {
        expect(r.event.timestamp).toBe(scheduled);
      }
    }
    expect(moved).toBeGreaterThan(2000);
  });

  it('re-sends duplicates with the same bytes, key and partition shortly after the original', () => {
    const gen = new ClickstreamGenerator({ seed: 3, duplicateRate: 0.1, duplicateWindowEvents: 32 });
    const firstSeen = new Map<string, { seq: number; value: Uint8Array; key: string; partition: number }>();
    let dups = 0;
    for (let i = 0; i < 5000; i++) {
      const r = gen.next();
      const original = firstSeen.get(r.event.eventId);
      if (r.fault === FaultKinds.DUPLICATE) {
        dups++;
        expect(original).toBeDefined();
        expect(Buffer.compare(Buffer.from(original!.value), Buffer.from(r.value))).toBe(0);
        expect(r.key).toBe(original!.key);
        expect(r.partition).toBe(original!.partition);
        expect(r.seq - original!.seq).toBeLessThan(32 * 3);
      } else {
        expect(original).toBeUndefined();
        firstSeen.set(r.event.eventId, r);
      }
    }
    expect(dups).toBeGreaterThan(300);
  });

  it('makes malformed records that fail decoding or validation as intended', () => {
    const gen = new ClickstreamGenerator({ seed: 9, malformedRate: 0.5 });
    const codes = new Map<string, Set<string>>();
    for (let i = 0; i < 4000; i++) {
      const r = gen.next();
      if (r.fault !== FaultKinds.MALFORMED) continue;
      const result = decodeAndValidateClickstreamEvent(r.value);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      const set = codes.get(r.malformed!) ?? new Set<string>();
      set.add(result.error.code);
      codes.set(r.malformed!, set);
    }
    expect([...codes.get(MalformedKinds.TRUNCATED)!]).toEqual(['TRIB_SCHEMA_DECODE_FAILED']);
    expect([...codes.get(MalformedKinds.BAD_WIRE_TYPE)!]).toEqual(['TRIB_SCHEMA_DECODE_FAILED']);
    expect([...codes.get(MalformedKinds.MISSING_PAGE_URL)!]).toEqual(['TRIB_SCHEMA_MISSING_FIELD']);
    expect([...codes.get(MalformedKinds.BAD_EVENT_TYPE)!]).toEqual(['TRIB_SCHEMA_INVALID_EVENT_TYPE']);
  });

  it('models users in sessions: fixed user attributes, referrer chains within a session', () => {
    const gen = new ClickstreamGenerator({
      seed: 21,
      users: 50,
      concurrentSessions: 5,
      meanSessionEvents: 10,
    });
    const device = new Map<string, string>();
    const lastPage = new Map<string, string>();
    const sessions = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const e = gen.next().event;
      if (device.has(e.userId)) expect(e.device).toBe(device.get(e.userId));
      device.set(e.userId, e.device);
      if (lastPage.has(e.sessionId)) expect(e.referrer).toBe(lastPage.get(e.sessionId));
      lastPage.set(e.sessionId, e.pageUrl);
      sessions.add(e.sessionId);
    }
    // ~3000 events / 10 per session.
    expect(sessions.size).toBeGreaterThan(200);
    expect(sessions.size).toBeLessThan(450);
    expect(device.size).toBeLessThanOrEqual(50);
  });

  it("writes the schema encoder's bytes for every event of a generated stream", () => {
    const generator = new ClickstreamGenerator({ partitions: 3, eventTimeOriginMs: Date.UTC(2026, 0, 1) });
    for (const r of generator.take(3000)) {
      expect(Buffer.from(r.value).equals(Buffer.from(encodeClickstreamEvent(r.event)))).toBe(true);
    }
  });

  it('encodes events of about 90 bytes', () => {
    const gen = new ClickstreamGenerator({ seed: 42 });
    let bytes = 0;
    for (let i = 0; i < 5000; i++) bytes += gen.next().value.length;
    expect(bytes / 5000).toBeGreaterThan(70);
    expect(bytes / 5000).toBeLessThan(120);
  });

  it('rejects bad options naming the option', () => {
    expect(() => new ClickstreamGenerator({ lateRate: 2 })).toThrow(/^lateRate must be <= 1 \(got 2\)$/);
    expect(() => new ClickstreamGenerator({ partitions: 0 })).toThrow(/^partitions must be >= 1 \(got 0\)$/);
    expect(() => new ClickstreamGenerator({ outOfOrderRate: 0.6, lateRate: 0.6 })).toThrow(
      /^lateRate makes the fault rates add up to 1.2; .* must be <= 1/,
    );
    try {
      new ClickstreamGenerator({ pages: 1.5 });
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'TRIB_PRODUCER_INVALID_OPTION', option: 'pages', retriable: false });
    }
  });
});
