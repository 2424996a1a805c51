import { describe, expect, it } from 'vitest';
import { PROCESSOR_METRIC_NAMES } from '@tributary/schema';
import type { MetricFamily } from '../src/prometheus-text.js';
import { DashboardModel, fillMinutes } from '../src/view-model.js';

const T0 = Date.UTC(2026, 10, 22, 12, 0, 30);

/** A metrics snapshot of a job: records in/out, lag and watermark lag, and latency buckets (le 1, 10, +Inf). */
function snapshot(s: {
  inEvents: number;
  inRepartition?: number;
  /** Records the session stage read from the input topic (absent = no session stage). */
  inSessions?: number;
  out?: number;
  lag?: number[];
  watermarkLag?: number[];
  latency?: [number, number, number];
}): MetricFamily[] {
  const families: MetricFamily[] = [
    {
      name: PROCESSOR_METRIC_NAMES.recordsIn,
      help: '',
      type: 'counter',
      values: [
        { labels: { stage: 'app', topic: 'events' }, value: s.inEvents },
        { labels: { stage: 'app-merge', topic: 'rep' }, value: s.inRepartition ?? 0 },
        ...(s.inSessions === undefined
          ? []
          : [{ labels: { stage: 'app-sessions', topic: 'events' }, value: s.inSessions }]),
      ],
    },
    {
      name: PROCESSOR_METRIC_NAMES.recordsOut,
      help: '',
      type: 'counter',
      values: [{ labels: { stage: 'app-merge', output: 'results' }, value: s.out ?? 0 }],
    },
  ];
  if (s.lag !== undefined) {
    families.push({
      name: PROCESSOR_METRIC_NAMES.consumerLag,
      help: '',
      type: 'gauge',
      values: s.lag.map((value, p) => ({
        labels: { stage: 'app', topic: 'events', partition: String(p) },
        value,
      })),
    });
  }
  if (s.watermarkLag !== undefined) {
    families.push({
      name: PROCESSOR_METRIC_NAMES.watermarkLag,
      help: '',
      type: 'gauge',
      values: s.watermarkLag.map((value, p) => ({ labels: { partition: String(p) }, value })),
    });
  }
  if (s.latency !== undefined) {
    const [a, b, c] = s.latency;
    families.push({
      name: PROCESSOR_METRIC_NAMES.eventTimeLatency,
      help: '',
      type: 'histogram',
      values: [
        {
          metricName: `${PROCESSOR_METRIC_NAMES.eventTimeLatency}_bucket`,
          labels: { le: '1', stage: 'x' },
          value: a,
        },
        {
          metricName: `${PROCESSOR_METRIC_NAMES.eventTimeLatency}_bucket`,
          labels: { le: '10', stage: 'x' },
          value: b,
        },
        {
          metricName: `${PROCESSOR_METRIC_NAMES.eventTimeLatency}_bucket`,
          labels: { le: '+Inf', stage: 'x' },
          value: c,
        },
      ],
    });
  }
  return families;
}

function model(
  inputTopic: string | null = 'events',
  inputStage?: string,
): { m: DashboardModel; advance: (ms: number) => void } {
  let now = T0;
  const m = new DashboardModel({
    title: 'T',
    rateWindowMs: 10_000,
    latencyWindowMs: 10_000,
    historyPoints: 3,
    topPagesMinutes: 5,
    chartMinutes: 4,
    inputTopic: inputTopic ?? undefined,
    inputStage,
    now: () => now,
  });
  return { m, advance: (ms) => (now += ms) };
}

describe('DashboardModel', () => {
  it('shows — (null) for every figure before any snapshot and for metrics not registered', () => {
    const { m, advance } = model();
    expect(Object.values(m.pipeline()).every((v) => v === null)).toBe(true);
    m.observeMetrics(snapshot({ inEvents: 5 }));
    advance(1_000);
    m.observeMetrics(snapshot({ inEvents: 15 }));
    const p = m.pipeline();
    expect(p.recordsInPerSecond).toBe(10);
    expect([p.consumerLag, p.watermarkLagSeconds, p.p99LatencySeconds]).toEqual([null, null, null]);
    expect(p.recordsInTotal).toBe(15);
  });

  it('rates come from successive snapshots on the injected clock, over the rate window only', () => {
    const { m, advance } = model();
    m.observeMetrics(snapshot({ inEvents: 0, out: 0 }));
    expect(m.pipeline().recordsInPerSecond).toBeNull(); // one snapshot: no rate yet
    for (let i = 1; i <= 5; i++) {
      advance(2_000);
      m.observeMetrics(snapshot({ inEvents: i * 1_000, out: i * 10 }));
    }
    expect(m.pipeline().recordsInPerSecond).toBe(500);
    expect(m.pipeline().recordsOutPerSecond).toBe(5);
    // The rate drops to the recent pace once the busy samples leave the 10 s window.
    for (let i = 1; i <= 6; i++) {
      advance(2_000);
      m.observeMetrics(snapshot({ inEvents: 5_000 + i * 100, out: 50 }));
    }
    expect(m.pipeline().recordsInPerSecond).toBe(50);
    expect(m.pipeline().recordsOutPerSecond).toBe(0);
  });

  it('counts only the input topic as throughput when given, every stage otherwise', () => {
    const a = model('events');
    const b = model(null);
    for (const { m, advance } of [a, b]) {
      m.observeMetrics(snapshot({ inEvents: 0, inRepartition: 0 }));
      advance(1_000);
      m.observeMetrics(snapshot({ inEvents: 100, inRepartition: 20 }));
    }
    expect(a.m.pipeline().recordsInPerSecond).toBe(100);
    expect(b.m.pipeline().recordsInPerSecond).toBe(120);
  });

  it('with a session stage reading the input topic too, counts the input stage only (by stage label)', () => {
    const byTopic = model('events');
    const byStage = model('events', 'app');
    for (const { m, advance } of [byTopic, byStage]) {
      m.observeMetrics(snapshot({ inEvents: 0, inRepartition: 0, inSessions: 0 }));
      advance(1_000);
      m.observeMetrics(snapshot({ inEvents: 100, inRepartition: 20, inSessions: 100 }));
    }
    // The topic alone counts each input record twice (stage 1 and the session stage read it).
    expect(byTopic.m.pipeline().recordsInPerSecond).toBe(200);
    expect(byStage.m.pipeline().recordsInPerSecond).toBe(100);
    expect(byStage.m.pipeline().recordsInTotal).toBe(100);
    const stageOnly = model(null, 'app-sessions');
    stageOnly.m.observeMetrics(snapshot({ inEvents: 0, inSessions: 0 }));
    stageOnly.advance(1_000);
    stageOnly.m.observeMetrics(snapshot({ inEvents: 100, inSessions: 40 }));
    expect(stageOnly.m.pipeline().recordsInPerSecond).toBe(40);
  });

  it('a counter reset (job restarted) counts from zero instead of a negative rate', () => {
    const { m, advance } = model();
    m.observeMetrics(snapshot({ inEvents: 1_000 }));
    advance(1_000);
    m.observeMetrics(snapshot({ inEvents: 30 }));
    expect(m.pipeline().recordsInPerSecond).toBe(30);
  });

  it('lag is summed over partitions, watermark lag is the worst partition', () => {
    const { m } = model();
    m.observeMetrics(snapshot({ inEvents: 1, lag: [3, 4, 0], watermarkLag: [1.5, 7.25, -Infinity] }));
    expect(m.pipeline().consumerLag).toBe(7);
    expect(m.pipeline().watermarkLagSeconds).toBe(7.25);
  });

  it('p99 latency covers the observations of the rate window, or since start when none are recent', () => {
    const { m, advance } = model();
    m.observeMetrics(snapshot({ inEvents: 0, latency: [0, 0, 0] }));
    advance(1_000);
    m.observeMetrics(snapshot({ inEvents: 0, latency: [100, 100, 100] }));
    expect(m.pipeline().p99LatencySeconds).toBeCloseTo(0.99, 10);
    for (let i = 0; i < 12; i++) {
      advance(1_000);
      m.observeMetrics(snapshot({ inEvents: 0, latency: [100, 100 + 10 * (i + 1), 100 + 10 * (i + 1)] }));
    }
    // The last 10 s saw only observations between 1 and 10 s.
    expect(m.pipeline().p99LatencySeconds).toBeGreaterThan(9);
    advance(20_000);
    m.observeMetrics(snapshot({ inEvents: 0, latency: [100, 220, 220] }));
    advance(1_000);
    m.observeMetrics(snapshot({ inEvents: 0, latency: [100, 220, 220] }));
    // Nothing new: the p99 since start.
    expect(m.pipeline().p99LatencySeconds).toBeCloseTo(1 + 9 * ((0.99 * 220 - 100) / 120), 10);
  });

  it('keeps a bounded throughput history', () => {
    const { m, advance } = model();
    m.observeMetrics(snapshot({ inEvents: 0 }));
    for (let i = 1; i <= 5; i++) {
      advance(1_000);
      m.observeMetrics(snapshot({ inEvents: i * 10 }));
    }
    const view = m.view({ rows: [] }, { points: [] });
    expect(view.pipeline.throughputHistory).toEqual([
      { t: T0 + 3_000, v: 10 },
      { t: T0 + 4_000, v: 10 },
      { t: T0 + 5_000, v: 10 },
    ]);
  });

  it('builds the view from the Elasticsearch answers and carries their errors', () => {
    const { m } = model();
    const minute = Math.floor(T0 / 60_000) * 60_000;
    const view = m.view(
      { rows: [{ pageUrl: '/a', clicks: 3, views: 9 }] },
      { points: [{ t: minute - 60_000, clicks: 1, views: 2 }] },
    );
    expect(view.title).toBe('T');
    expect(view.generatedAt).toBe(T0);
    expect(view.topPages).toEqual({
      minutes: 5,
      rows: [{ pageUrl: '/a', clicks: 3, views: 9 }],
      error: null,
    });
    expect(view.clicksVsViews.points.map((p) => [p.t - minute, p.clicks])).toEqual([
      [-180_000, 0],
      [-120_000, 0],
      [-60_000, 1],
      [0, 0],
    ]);
    m.metricsFailed('metrics unavailable: connect ECONNREFUSED');
    const failed = m.view({ error: 'Elasticsearch: down' }, { error: 'Elasticsearch: down' });
    expect(failed.topPages).toEqual({ minutes: 5, rows: [], error: 'Elasticsearch: down' });
    expect(failed.clicksVsViews.error).toBe('Elasticsearch: down');
    expect(failed.clicksVsViews.points).toHaveLength(4);
    expect(failed.pipeline.error).toBe('metrics unavailable: connect ECONNREFUSED');
    expect(failed.pipeline.consumerLag).toBeNull();
  });

  it("says Elasticsearch is off (empty panels, no errors) when the job does not index, 'on' otherwise", () => {
    const { m } = model();
    expect(m.view({ rows: [] }, { points: [] }).elasticsearch).toBe('on');
    const off = m.view('off', 'off');
    expect(off.elasticsearch).toBe('off');
    expect(off.topPages).toEqual({ minutes: 5, rows: [], error: null });
    expect(off.clicksVsViews.error).toBeNull();
    expect(off.clicksVsViews.points.every((p) => p.clicks === 0 && p.views === 0)).toBe(true);
  });

  it('fillMinutes drops points older than the chart', () => {
    const end = Math.floor(T0 / 60_000) * 60_000;
    const filled = fillMinutes([{ t: end - 600_000, clicks: 5, views: 5 }], T0, 2);
    expect(filled).toEqual([
      { t: end - 60_000, clicks: 0, views: 0 },
      { t: end, clicks: 0, views: 0 },
    ]);
  });
});

describe('DashboardModel windows', () => {
  it('the p99 covers the latency window, which can be longer than the rate window', () => {
    let now = T0;
    const m = new DashboardModel({
      title: 'T',
      rateWindowMs: 2_000,
      latencyWindowMs: 60_000,
      historyPoints: 10,
      topPagesMinutes: 5,
      chartMinutes: 4,
      inputTopic: undefined,
      now: () => now,
    });
    const observe = (latency: [number, number, number], inEvents = 0): void => {
      m.observeMetrics(snapshot({ inEvents, latency }));
      now += 1_000;
    };
    observe([0, 0, 0]);
    observe([100, 100, 100]); // 100 results within 1 s, long ago
    for (let i = 0; i < 80; i++) observe([100, 100, 100]);
    observe([100, 110, 110]); // 10 results in (1 s, 10 s], 19 s before the last snapshot
    for (let i = 0; i < 19; i++) observe([100, 110, 110], 10 * (i + 1));
    // Only the ten recent results count (since start, the p99 would be 1 + 9 × 8.9/10).
    expect(m.pipeline().p99LatencySeconds).toBeCloseTo(1 + 9 * 0.99, 10);
    expect(m.pipeline().recordsInPerSecond).toBe(10);
  });
});
