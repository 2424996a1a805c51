import { ClickstreamGenerator } from '@tributary/producer';
import { describe, expect, inject, it } from 'vitest';
import { createClickstreamApp } from '../../src/app/clickstream.js';
import { PROCESSOR_METRIC_NAMES } from '@tributary/schema';
import { testProcessorConfig } from '../helpers/clickstream-config.js';
import { useClickstreamSuite } from '../helpers/clickstream-suite.js';
import { toInputMessages } from '../helpers/clickstream-topics.js';

const brokers = inject('kafkaBrokers');
const PARTITIONS = 4;
const EVENTS = 2_000;
const GAP_MS = 20_000;

interface SessionRow {
  key: string;
  windowStart: number;
  windowEnd: number;
  version: number;
  result: { eventCount: number };
}

describe('tributary-processor clickstream --sessions', () => {
  const { harness, suffix, topics } = useClickstreamSuite(brokers, 'css', PARTITIONS, (s) =>
    ['', '-merge', '-sessions'].map((stage) => `${s}-app${stage}`),
  );
  const applicationId = `${suffix}-app`;

  it('writes one summary per user session, equal to the gap-based sessions of the input', async () => {
    const generator = new ClickstreamGenerator({
      seed: 11,
      partitions: PARTITIONS,
      eventsPerSecond: 10,
      pages: 20,
      users: 60,
    });
    const records = generator.take(EVENTS);
    // Expected sessions: per user, events in time order split where the gap to the previous event is >= GAP_MS.
    const expected = new Map<string, number>();
    const byUser = new Map<string, number[]>();
    for (const r of records) byUser.set(r.key, [...(byUser.get(r.key) ?? []), r.event.timestamp]);
    for (const [user, stamps] of byUser) {
      stamps.sort((a, b) => a - b);
      let start = stamps[0]!;
      let count = 0;
      let last = start;
      for (const ts of stamps) {
        if (count > 0 && ts - last >= GAP_MS) {
          expected.set(`${user}|${start}`, count);
          start = ts;
          count = 0;
        }
        count += 1;
        last = ts;
      }
      expected.set(`${user}|${start}`, count);
    }
    expect(expected.size).toBeGreaterThan(byUser.size); // some users have several sessions
    await harness.produce(topics.inputTopic, toInputMessages(records));

    const config = testProcessorConfig({
      brokers,
      applicationId,
      ...topics,
      sessionsTopic: `${suffix}-sessions`,
      sessions: true,
      sessionGapMs: GAP_MS,
      elasticsearch: false,
      idleTimeoutMs: 3_000,
      dashboard: true,
      dashboardPort: 0,
    });
    const app = createClickstreamApp(config);
    const sessions = harness.tail(`${suffix}-sessions`);
    await app.start();
    const latest = (): Map<string, number> => {
      const rows = new Map<string, SessionRow>();
      for (const r of sessions.records) {
        const row = JSON.parse(r.value!.toString('utf8')) as SessionRow;
        const k = `${row.key}|${row.windowStart}`;
        const seen = rows.get(k);
        if (seen === undefined || row.version > seen.version) rows.set(k, row);
      }
      return new Map([...rows].map(([k, row]) => [k, row.result.eventCount]));
    };
    try {
      await sessions.start();
      await sessions.waitFor(() => {
        const got = latest();
        return got.size === expected.size && [...expected].every(([k, n]) => got.get(k) === n);
      }, 90_000);
      expect(Object.fromEntries(latest())).toEqual(Object.fromEntries(expected));
      expect(app.job.ownedPartitions()[`${applicationId}-sessions`]).toEqual([0, 1, 2, 3]);
      for (const r of sessions.records) expect(records.some((e) => e.key === r.key)).toBe(true);

      // The session stage reads the input topic too: the dashboard counts stage 1's input only, once per event.
      const byTopic = (await app.job.registry!.getSingleMetricAsString(PROCESSOR_METRIC_NAMES.recordsIn))
        .split('\n')
        .filter((l) => l.includes(`topic="${topics.inputTopic}"`))
        .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
      expect(byTopic).toBe(2 * EVENTS);
      const deadline = Date.now() + 10_000;
      let shown = (await app.dashboard!.view()).pipeline.recordsInTotal;
      while (shown !== EVENTS && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        shown = (await app.dashboard!.view()).pipeline.recordsInTotal;
      }
      expect(shown).toBe(EVENTS);
      expect((await app.dashboard!.view()).elasticsearch).toBe('off');
    } finally {
      await app.stop();
    }
  });
});
