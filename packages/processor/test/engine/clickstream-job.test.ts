import {
  ClickstreamGenerator,
  computeGroundTruth,
  GroundTruthAccumulator,
  type GeneratedRecord,
  type Verdict,
} from '@tributary/producer';
import { partitionForKey } from '@tributary/kafka';
import { decodeWindowResult, encodeClickstreamEvent, type WindowResult } from '@tributary/schema';
import { describe, expect, it } from 'vitest';
import {
  clickstreamDecoder,
  clickstreamMergeTask,
  clickstreamPartialTask,
  clickstreamSessionTask,
  clickstreamWindowedTask,
} from '../../src/engine/clickstream-job.js';
import { ENGINE_DEFAULTS } from '../../src/engine/options.js';
import type { GateCounters } from '../../src/engine/partition-gate.js';
import { SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import type {
  ChangelogEntry,
  InputRecord,
  OutputRecord,
  PartitionTask,
} from '../../src/task/partition-task.js';

const UPSTREAM = 3;
const DOWNSTREAM = 2;

function workload(partitions: number, count: number): GeneratedRecord[] {
  return new ClickstreamGenerator({
    seed: 7,
    partitions,
    eventsPerSecond: 20, // a few minutes of event time: many windows
    lateRate: 0.03,
    duplicateRate: 0.04,
    malformedRate: 0.02,
    outOfOrderRate: 0.2,
  }).take(count);
}

/**
 * Kafka's "no timestamp" (-1): the generated records have none, so the future-skew check against the record's
 * timestamp is not made — as in the ground truth for entries without `timestamp`.
 */
const NO_RECORD_TIMESTAMP = -1;

function toInput(r: GeneratedRecord, offset: number, topic = 'clickstream-events'): InputRecord {
  return {
    topic,
    partition: r.partition,
    offset,
    timestamp: NO_RECORD_TIMESTAMP,
    key: Buffer.from(r.key),
    value: Buffer.from(r.value),
    headers: {},
  };
}

function latest(results: WindowResult[]): WindowResult[] {
  const m = new Map<string, WindowResult>();
  for (const r of results) {
    const id = `${r.windowStart}|${r.pageUrl}`;
    const prev = m.get(id);
    if (prev === undefined || r.version > prev.version) m.set(id, r);
  }
  return [...m.values()].sort(
    (a, b) => a.windowStart - b.windowStart || (a.pageUrl < b.pageUrl ? -1 : a.pageUrl > b.pageUrl ? 1 : 0),
  );
}

/**
 * Delivers a stage-1 'repartition' output to the merge tasks it is addressed to (by key: `partitionForKey`;
 * broadcast: every one) as the next record of their repartition partition; `delivered` runs after each.
 */
function deliver(
  out: OutputRecord,
  merges: readonly PartitionTask[],
  repOffsets: number[],
  delivered?: (m: number) => void,
): void {
  const targets =
    out.destination.kind === 'broadcast'
      ? merges.map((_, i) => i)
      : [partitionForKey(out.key!, merges.length)];
  for (const m of targets) {
    merges[m]!.process({
      topic: 'repartition',
      partition: m,
      offset: repOffsets[m]!++,
      timestamp: NO_RECORD_TIMESTAMP,
      key: out.key,
      value: out.value,
      headers: {},
    });
    delivered?.(m);
  }
}

const counts = (rs: WindowResult[]) =>
  rs.map(({ pageUrl, windowStart, windowEnd, clickCount, viewCount }) => ({
    pageUrl,
    windowStart,
    windowEnd,
    clickCount,
    viewCount,
  }));

describe('clickstream job helpers', () => {
  it('partial → repartition → merge equals the producer ground truth exactly', () => {
    const records = workload(UPSTREAM, 4000);
    const manifest = computeGroundTruth(
      records.map((r) => ({ partition: r.partition, value: r.value })),
      { partitions: UPSTREAM },
    );
    const partials = Array.from({ length: UPSTREAM }, (_, p) =>
      clickstreamPartialTask({ inputPartition: p }),
    );
    const merges = Array.from({ length: DOWNSTREAM }, () =>
      clickstreamMergeTask({ upstreamPartitions: UPSTREAM }),
    );
    const offsets = new Array<number>(UPSTREAM).fill(0);
    const repOffsets = new Array<number>(DOWNSTREAM).fill(0);
    const results: OutputRecord[] = [];
    const side: OutputRecord[] = [];
    const commit = (p: number) => {
      for (const out of partials[p]!.drainOutputs()) {
        if (out.output !== 'repartition') {
          side.push(out);
          continue;
        }
        deliver(out, merges, repOffsets, (m) => results.push(...merges[m]!.drainOutputs()));
      }
    };
    records.forEach((r, i) => {
      partials[r.partition]!.process(toInput(r, offsets[r.partition]!++));
      if (i % 97 === 0) commit(r.partition);
    });
    for (let p = 0; p < UPSTREAM; p++) commit(p);
    for (const m of merges) {
      m.tick(0);
      m.tick(Number.MAX_SAFE_INTEGER / 2); // traffic stopped: idleness + wall clock close the last windows
      results.push(...m.drainOutputs());
    }
    expect(results.every((o) => o.output === 'results' && o.destination.kind === 'by-key')).toBe(true);
    const decoded = results.map((o) => decodeWindowResult(o.value!));
    expect(results.every((o, i) => o.key!.toString() === decoded[i]!.pageUrl)).toBe(true);
    expect(counts(latest(decoded))).toEqual(manifest.windows);
    expect(latest(decoded).every((r) => r.isFinal)).toBe(true);
    const totals = partials.reduce(
      (t, p) => ({
        accepted: t.accepted + p.counters.accepted,
        late: t.late + p.counters.late,
        duplicates: t.duplicates + p.counters.duplicates,
        deadLettered: t.deadLettered + p.counters.deadLettered,
      }),
      { accepted: 0, late: 0, duplicates: 0, deadLettered: 0 },
    );
    expect(totals).toEqual({
      accepted: manifest.totals.accepted,
      late: manifest.totals.late,
      duplicates: manifest.totals.duplicates,
      deadLettered: manifest.totals.deadLettered,
    });
    expect(manifest.totals.late).toBeGreaterThan(0);
    expect(manifest.totals.duplicates).toBeGreaterThan(0);
    expect(manifest.totals.deadLettered).toBeGreaterThan(0);
    expect(side.filter((o) => o.output === 'dead-letter')).toHaveLength(manifest.totals.deadLettered);
    expect(side.filter((o) => o.output === 'late')).toHaveLength(manifest.totals.late);
  });

  it.each([
    [1, 0],
    [2, 30_000],
    [3, 120_000],
  ])(
    'seed %i, allowed lateness %i ms: latest results equal the ground truth, versions only grow',
    (seed, lateness) => {
      const records = new ClickstreamGenerator({
        seed,
        partitions: UPSTREAM,
        eventsPerSecond: 10,
        allowedLatenessMs: lateness,
        lateRate: 0.05,
        duplicateRate: 0.05,
        malformedRate: 0.02,
        outOfOrderRate: 0.3,
      }).take(1500);
      const rules = { partitions: UPSTREAM, allowedLatenessMs: lateness };
      const manifest = computeGroundTruth(
        records.map((r) => ({ partition: r.partition, value: r.value })),
        rules,
      );
      const partials = Array.from({ length: UPSTREAM }, (_, p) =>
        clickstreamPartialTask({ inputPartition: p, allowedLatenessMs: lateness, idleTimeoutMs: 50 }),
      );
      const merges = Array.from({ length: DOWNSTREAM }, () =>
        clickstreamMergeTask({
          upstreamPartitions: UPSTREAM,
          allowedLatenessMs: lateness,
          idleTimeoutMs: 50,
        }),
      );
      const offsets = [0, 0, 0];
      const repOffsets = [0, 0];
      const results: WindowResult[] = [];
      let now = 0;
      const commit = (p: number) => {
        for (const out of partials[p]!.drainOutputs()) {
          if (out.output !== 'repartition') continue;
          deliver(out, merges, repOffsets);
        }
        for (const m of merges) {
          m.tick(now);
          results.push(...m.drainOutputs().map((o) => decodeWindowResult(o.value!)));
        }
      };
      records.forEach((r, i) => {
        now += 10; // processing time runs while records flow: idleness never kicks in with 3 busy partitions
        for (const t of partials) t.tick(now);
        partials[r.partition]!.process(toInput(r, offsets[r.partition]!++));
        if (i % 37 === 0) commit(r.partition);
      });
      for (let p = 0; p < UPSTREAM; p++) commit(p);
      now += 10_000_000_000_000;
      for (let p = 0; p < UPSTREAM; p++) {
        partials[p]!.tick(now);
        commit(p);
      }
      const versions = new Map<string, number>();
      for (const r of results) {
        const id = `${r.windowStart}|${r.pageUrl}`;
        expect(r.version).toBeGreaterThan(versions.get(id) ?? 0);
        versions.set(id, r.version);
      }
      expect(counts(latest(results))).toEqual(manifest.windows);
      expect(latest(results).every((r) => r.isFinal)).toBe(true);
    },
  );

  it('the single-stage task gives the same results on one partition', () => {
    const records = workload(1, 1500);
    const manifest = computeGroundTruth(
      records.map((r) => ({ partition: r.partition, value: r.value })),
      { partitions: 1 },
    );
    const task: PartitionTask = clickstreamWindowedTask({ wallClockAdvance: false });
    const results: OutputRecord[] = [];
    records.forEach((r, i) => {
      task.process(toInput(r, i));
      results.push(...task.drainOutputs());
    });
    const last = records.at(-1)!;
    const flushTs = Math.max(...records.map((r) => r.event.timestamp)) + 3_600_000;
    // a far-future valid event flushes every window by the data watermark
    task.process({
      ...toInput(last, records.length),
      value: Buffer.from(
        encodeClickstreamEvent({
          userId: 'u',
          pageUrl: '/flush',
          eventType: 'VIEW',
          eventId: 'flush',
          timestamp: flushTs,
        }),
      ),
    });
    const decoded = [...results, ...task.drainOutputs()]
      .filter((o) => o.output === 'results')
      .map((o) => decodeWindowResult(o.value!));
    const flushWindow = Math.floor(flushTs / 60_000) * 60_000;
    expect(counts(latest(decoded))).toEqual(manifest.windows.filter((w) => w.windowStart !== flushWindow));
  });

  it('decoder: schema failures carry the TRIB_SCHEMA code and reason; verdicts never depend on the wall clock', () => {
    const decode = clickstreamDecoder();
    const base = {
      topic: 't',
      partition: 0,
      offset: 0,
      timestamp: NO_RECORD_TIMESTAMP,
      key: null,
      headers: {},
    };
    const bad = decode({ ...base, value: Buffer.from([0xff, 0xff, 0xff]) });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.code).toBe('TRIB_SCHEMA_DECODE_FAILED');
    const future = encodeClickstreamEvent({
      userId: 'u',
      pageUrl: '/p',
      timestamp: Date.now() + 10 * 365 * 86_400_000,
      eventType: 'CLICK',
      eventId: 'e',
    });
    // No record timestamp: nothing to measure the skew against (the wall clock is never used).
    expect(decode({ ...base, value: Buffer.from(future) }).ok).toBe(true);
    expect(
      clickstreamDecoder({ validationNowMs: Date.now() })({ ...base, value: Buffer.from(future) }),
    ).toMatchObject({
      ok: false,
      code: 'TRIB_SCHEMA_TIMESTAMP_OUT_OF_RANGE',
    });
    const noType = encodeClickstreamEvent({
      userId: 'u',
      pageUrl: '/p',
      timestamp: 1_700_000_000_000,
      eventType: 'HOVER',
    });
    expect(clickstreamDecoder({ projection: false })({ ...base, value: Buffer.from(noType) })).toMatchObject({
      ok: false,
      code: 'TRIB_SCHEMA_INVALID_EVENT_TYPE',
    });
    expect(decode({ ...base, value: null })).toMatchObject({ ok: false, code: 'TRIB_SCHEMA_DECODE_FAILED' });
  });

  it("decoder: an event more than maxFutureSkewMs (default 5 min) ahead of its own record's timestamp is invalid", () => {
    const decode = clickstreamDecoder();
    const recordTs = 1_700_000_000_000;
    const at = (timestamp: number) =>
      Buffer.from(
        encodeClickstreamEvent({ userId: 'u', pageUrl: '/p', timestamp, eventType: 'CLICK', eventId: 'e' }),
      );
    const base = { topic: 't', partition: 0, offset: 0, timestamp: recordTs, key: null, headers: {} };
    expect(decode({ ...base, value: at(recordTs + 300_000) }).ok).toBe(true);
    expect(decode({ ...base, value: at(recordTs - 86_400_000) }).ok).toBe(true); // old events are fine
    expect(decode({ ...base, value: at(recordTs + 300_001) })).toEqual({
      ok: false,
      code: 'TRIB_SCHEMA_TIMESTAMP_OUT_OF_RANGE',
      reason: `timestamp ${recordTs + 300_001} is 300001 ms in the future (max skew 300000 ms)`,
    });
    // The same bytes in a record written an hour later are on time: the verdict comes from the record alone.
    expect(decode({ ...base, timestamp: recordTs + 3_600_000, value: at(recordTs + 3_300_000) }).ok).toBe(
      true,
    );
    expect(clickstreamDecoder({ maxFutureSkewMs: 0 })({ ...base, value: at(recordTs + 1) }).ok).toBe(false);
    expect(() => clickstreamDecoder({ maxFutureSkewMs: -5 })).toThrow(
      expect.objectContaining({
        code: 'TRIB_PROC_INVALID_OPTION',
        message: expect.stringMatching(/^maxFutureSkewMs must be/),
      }),
    );
  });

  it('decoder: a field over its byte limit is a dead letter naming the field, with the projection as with the full decoder', () => {
    const base = {
      topic: 't',
      partition: 0,
      offset: 0,
      timestamp: NO_RECORD_TIMESTAMP,
      key: null,
      headers: {},
    };
    const event = (fields: Record<string, string>) =>
      Buffer.from(
        encodeClickstreamEvent({
          userId: 'u',
          pageUrl: '/p',
          timestamp: 1_700_000_000_000,
          eventType: 'VIEW',
          eventId: 'e',
          ...fields,
        }),
      );
    for (const decode of [clickstreamDecoder(), clickstreamDecoder({ projection: false })]) {
      expect(decode({ ...base, value: event({ pageUrl: '/' + 'x'.repeat(600_000) }) })).toEqual({
        ok: false,
        code: 'TRIB_SCHEMA_FIELD_TOO_LARGE',
        reason: 'page_url is 600001 bytes, over the limit of 8192 bytes',
      });
      // A field the projection does not build (user_agent) is checked all the same.
      expect(decode({ ...base, value: event({ userAgent: 'u'.repeat(5_000) }) })).toMatchObject({
        ok: false,
        reason: 'user_agent is 5000 bytes, over the limit of 4096 bytes',
      });
      expect(decode({ ...base, value: event({ eventId: 'e'.repeat(257) }) })).toMatchObject({ ok: false });
    }
    expect(
      clickstreamDecoder({ maxFieldBytes: { page_url: 700_000 } })({
        ...base,
        value: event({ pageUrl: '/' + 'x'.repeat(600_000) }),
      }).ok,
    ).toBe(true);
  });

  it('decoder: the projection (default) and the full decoder give the same verdict, code and reason', () => {
    const projection = clickstreamDecoder();
    const full = clickstreamDecoder({ projection: false });
    const base = {
      topic: 't',
      partition: 0,
      offset: 0,
      timestamp: NO_RECORD_TIMESTAMP,
      key: null,
      headers: {},
    };
    const good = encodeClickstreamEvent({
      userId: 'u',
      pageUrl: '/p',
      timestamp: 1_700_000_000_000,
      eventType: 'VIEW',
      eventId: 'e',
      referrer: 'https://example.com/',
    });
    const values = [
      ...workload(1, 400).map((r) => r.value),
      good,
      Buffer.concat([good, Buffer.from([0x3a, 0x02, 0xc3, 0x28])]), // referrer: invalid UTF-8 (a skipped field)
      Buffer.concat([good, Buffer.from([0x42, 0x05, 0x61])]), // user_agent truncated
      Buffer.concat([good, Buffer.from([0x4b, 0x08, 0x01])]), // device as an unterminated group
      Buffer.concat([good, Buffer.from([0x18, 0x01])]), // timestamp 1: before 2000
    ];
    const verdicts = new Set<string>();
    for (const value of values) {
      const record = { ...base, value: Buffer.from(value) };
      const a = projection(record);
      const b = full(record);
      verdicts.add(a.ok ? 'ok' : a.code);
      expect(a.ok ? { ok: true, event: { ...a.event } } : a).toEqual(
        b.ok
          ? {
              ok: true,
              event: {
                userId: b.event.userId,
                pageUrl: b.event.pageUrl,
                timestamp: b.event.timestamp,
                eventType: b.event.eventType,
                eventId: b.event.eventId,
              },
            }
          : b,
      );
    }
    expect([...verdicts]).toEqual(
      expect.arrayContaining(['ok', 'TRIB_SCHEMA_DECODE_FAILED', 'TRIB_SCHEMA_TIMESTAMP_OUT_OF_RANGE']),
    );
    expect(() => clickstreamDecoder({ projection: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_INVALID_OPTION', option: 'projection' }),
    );
  });

  it('stage 1 with acceptedEvents hands the full event to the encoder unless projection is set', () => {
    const value = Buffer.from(
      encodeClickstreamEvent({
        userId: 'u',
        pageUrl: '/p',
        timestamp: 1_700_000_000_000,
        eventType: 'CLICK',
        eventId: 'e',
        referrer: 'https://example.com/',
        country: 'DE',
      }),
    );
    const seen = (projection: boolean | undefined): Record<string, unknown>[] => {
      const events: Record<string, unknown>[] = [];
      const task = clickstreamPartialTask({
        inputPartition: 0,
        ...(projection === undefined ? {} : { projection }),
        acceptedEvents: {
          output: 'enriched',
          encode: (event) => {
            events.push({ ...event });
            return { key: null, value: Buffer.alloc(0) };
          },
        },
      });
      task.process({
        topic: 't',
        partition: 0,
        offset: 0,
        timestamp: NO_RECORD_TIMESTAMP,
        key: Buffer.from('u'),
        value,
        headers: {},
      });
      return events;
    };
    expect(seen(undefined)).toEqual([
      expect.objectContaining({ referrer: 'https://example.com/', country: 'DE' }),
    ]);
    expect(seen(false)).toEqual([
      expect.objectContaining({ referrer: 'https://example.com/', country: 'DE' }),
    ]);
    expect(seen(true)).toEqual([
      { userId: 'u', pageUrl: '/p', timestamp: 1_700_000_000_000, eventType: 'CLICK', eventId: 'e' },
    ]);
  });

  it('sessions per user: every accepted event ends up in exactly one emitted session', () => {
    const records = workload(1, 1500);
    const task = clickstreamSessionTask({ gapMs: 30_000, wallClockAdvance: true, idleTimeoutMs: 1000 });
    const out: OutputRecord[] = [];
    task.tick(0);
    records.forEach((r, i) => {
      task.process(toInput(r, i));
      out.push(...task.drainOutputs());
    });
    task.tick(Number.MAX_SAFE_INTEGER / 2);
    out.push(...task.drainOutputs());
    const sessions = new Map<string, { version: number; eventCount: number; durationMs: number }>();
    for (const o of out.filter((x) => x.output === 'results')) {
      const r = JSON.parse(o.value!.toString()) as {
        key: string;
        windowStart: number;
        version: number;
        result: { eventCount: number; durationMs: number };
      };
      const id = `${r.key}|${r.windowStart}`;
      if ((sessions.get(id)?.version ?? 0) < r.version) sessions.set(id, { version: r.version, ...r.result });
    }
    const total = [...sessions.values()].reduce((n, s) => n + s.eventCount, 0);
    expect(total).toBe(task.counters.accepted);
    expect(sessions.size).toBeGreaterThan(5);
    expect([...sessions.values()].some((s) => s.durationMs > 0)).toBe(true);
  });
});

/** The verdict a record got, from the counters of the task that processed it (before → after). */
function verdictOf(before: GateCounters, after: Readonly<GateCounters>): Verdict {
  if (after.accepted > before.accepted) return 'accepted';
  if (after.late > before.late) return 'late';
  if (after.duplicates > before.duplicates) return 'duplicate';
  return 'dead-letter';
}

/**
 * Stage 1 (one partial task per input partition) → repartition → stage 2, committing like the runtime: a commit of
 * partition p delivers its outputs and appends its changelog. A crash of p after record `i` (`crashes`) loses what
 * p did since its last commit: a new task restores p's changelog and is fed again from the committed position.
 */
function runPipeline(
  records: readonly GeneratedRecord[],
  limits: { maxKeysPerWindow: number; maxDedupEntries?: number },
  crashes: readonly number[] = [],
): { results: WindowResult[]; side: OutputRecord[]; verdicts: Verdict[]; dedupEvictions: number } {
  const make = (p: number) => clickstreamPartialTask({ inputPartition: p, ...limits });
  const partials = Array.from({ length: UPSTREAM }, (_, p) => make(p));
  const merges = Array.from({ length: DOWNSTREAM }, () =>
    clickstreamMergeTask({ upstreamPartitions: UPSTREAM }),
  );
  const fed: InputRecord[][] = Array.from({ length: UPSTREAM }, () => []);
  const changelogs: ChangelogEntry[][] = Array.from({ length: UPSTREAM }, () => []);
  const committed = new Array<number>(UPSTREAM).fill(0);
  const repOffsets = new Array<number>(DOWNSTREAM).fill(0);
  const results: OutputRecord[] = [];
  const side: OutputRecord[] = [];
  const verdicts: Verdict[] = [];
  let dedupEvictions = 0;
  const commit = (p: number) => {
    for (const out of partials[p]!.drainOutputs()) {
      if (out.output === 'repartition')
        deliver(out, merges, repOffsets, (m) => results.push(...merges[m]!.drainOutputs()));
      else side.push(out);
    }
    changelogs[p]!.push(...partials[p]!.drainChangelog());
    committed[p] = fed[p]!.length;
  };
  records.forEach((r, i) => {
    const p = r.partition;
    const input = toInput(r, fed[p]!.length);
    fed[p]!.push(input);
    const before = { ...partials[p]!.counters };
    partials[p]!.process(input);
    verdicts.push(verdictOf(before, partials[p]!.counters));
    if (i % 97 === 0) commit(p);
    if (crashes.includes(i)) {
      dedupEvictions += partials[p]!.counters.dedupEvictions;
      partials[p] = make(p);
      partials[p].restore(changelogs[p]!);
      for (const replayed of fed[p]!.slice(committed[p])) partials[p].process(replayed);
    }
  });
  for (let p = 0; p < UPSTREAM; p++) commit(p);
  for (const m of merges) {
    m.tick(0);
    m.tick(Number.MAX_SAFE_INTEGER / 2); // traffic stopped: idleness + wall clock close the last windows
    results.push(...m.drainOutputs());
  }
  for (const t of partials) dedupEvictions += t.counters.dedupEvictions;
  return { results: results.map((o) => decodeWindowResult(o.value!)), side, verdicts, dedupEvictions };
}

describe('clickstream job at maxKeysPerWindow', () => {
  const CAP = 10;
  const records = workload(UPSTREAM, 4000);
  const entries = records.map((r) => ({ partition: r.partition, value: r.value }));

  it('the ground truth models the engine default cap', () => {
    expect(computeGroundTruth([], { partitions: 1 }).maxKeysPerWindow).toBe(ENGINE_DEFAULTS.maxKeysPerWindow);
  });

  it('the factories take the caps and reject bad ones naming them', () => {
    const invalid = (option: string) => expect.objectContaining({ code: 'TRIB_PROC_INVALID_OPTION', option });
    expect(() => clickstreamPartialTask({ inputPartition: 0, maxKeysPerWindow: 0 })).toThrow(
      invalid('maxKeysPerWindow'),
    );
    expect(() => clickstreamWindowedTask({ maxDedupEntries: -1 })).toThrow(invalid('maxDedupEntries'));
    expect(() => clickstreamSessionTask({ maxOpenSessions: 0.5 })).toThrow(invalid('maxOpenSessions'));
    expect(() => clickstreamSessionTask({ maxDedupEntries: 0 })).toThrow(invalid('maxDedupEntries'));
    const two = records.filter((r) => r.partition === 0).slice(0, 400);
    for (const task of [
      clickstreamPartialTask({ inputPartition: 0, maxKeysPerWindow: 1, maxDedupEntries: 5 }),
      clickstreamWindowedTask({ maxKeysPerWindow: 1, maxDedupEntries: 5 }),
    ]) {
      two.forEach((r, i) => task.process(toInput(r, i)));
      expect(task.counters.limited).toBeGreaterThan(0);
      expect(task.counters.dedupEvictions).toBeGreaterThan(0);
    }
    const sessions = clickstreamSessionTask({ maxOpenSessions: 1, maxDedupEntries: 5 });
    two.forEach((r, i) => sessions.process(toInput(r, i)));
    expect(sessions.counters.limited).toBeGreaterThan(0);
    expect(sessions.counters.dedupEvictions).toBeGreaterThan(0);
  });

  it('partial → repartition → merge equals the ground truth with a small cap, verdict for verdict', () => {
    const truth = new GroundTruthAccumulator({ partitions: UPSTREAM, maxKeysPerWindow: CAP });
    const expected = records.map((r) => truth.add({ partition: r.partition, value: r.value }));
    const manifest = truth.toManifest();
    const uncapped = computeGroundTruth(entries, { partitions: UPSTREAM });
    const limited = manifest.totals.deadLettered - uncapped.totals.deadLettered;
    expect(limited).toBeGreaterThan(200); // the cap bites
    expect(manifest.totals.duplicates).toBeGreaterThan(0);

    const run = runPipeline(records, { maxKeysPerWindow: CAP });
    expect(run.verdicts).toEqual(expected);
    expect(counts(latest(run.results))).toEqual(manifest.windows);
    expect(latest(run.results).every((r) => r.isFinal)).toBe(true);
    const codes = run.side
      .filter((o) => o.output === 'dead-letter')
      .map((o) => o.headers[SIDE_OUTPUT_HEADERS.errorCode]);
    expect(codes).toHaveLength(manifest.totals.deadLettered);
    expect(codes.filter((c) => c === 'TRIB_PROC_WINDOW_KEY_LIMIT')).toHaveLength(limited);
    expect(run.side.filter((o) => o.output === 'late')).toHaveLength(manifest.totals.late);
  });

  it('equals the ground truth across crashes and restores in the middle (exactly once)', () => {
    const manifest = computeGroundTruth(entries, { partitions: UPSTREAM, maxKeysPerWindow: CAP });
    const reference = runPipeline(records, { maxKeysPerWindow: CAP });
    const run = runPipeline(records, { maxKeysPerWindow: CAP }, [150, 151, 1_000, 2_222, 3_500]);
    expect(counts(latest(run.results))).toEqual(manifest.windows);
    const dlq = (side: OutputRecord[]) =>
      side
        .filter((o) => o.output === 'dead-letter')
        .map(
          (o) =>
            `${o.headers[SIDE_OUTPUT_HEADERS.sourcePartition]}/${o.headers[SIDE_OUTPUT_HEADERS.sourceOffset]}`,
        )
        .sort();
    expect(dlq(run.side)).toEqual(dlq(reference.side));
    expect(run.side.filter((o) => o.output === 'late')).toHaveLength(manifest.totals.late);
  });

  it('a dedup cap below the ids within the TTL forgets old ids only: duplicates of recent events are still caught', () => {
    // The generator re-sends one of the last 64 events as a duplicate; 300 ids per partition hold far more.
    const manifest = computeGroundTruth(entries, { partitions: UPSTREAM, maxKeysPerWindow: CAP });
    const limits = { maxKeysPerWindow: CAP, maxDedupEntries: 300 };
    const uninterrupted = runPipeline(records, limits);
    expect(uninterrupted.dedupEvictions).toBeGreaterThan(500);
    const run = runPipeline(records, limits, [700, 2_900]);
    for (const r of [uninterrupted, run]) {
      expect(counts(latest(r.results))).toEqual(manifest.windows);
      expect(r.side.filter((o) => o.output === 'dead-letter')).toHaveLength(manifest.totals.deadLettered);
    }
  });
});
