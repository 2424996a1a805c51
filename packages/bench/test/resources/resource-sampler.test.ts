import { describe, expect, it } from 'vitest';
import { BENCH_ERROR_CODES, BenchError } from '../../src/errors.js';
import { ResourceSampler, type SelfProbe } from '../../src/resources/resource-sampler.js';
import type { ProcessReading } from '../../src/resources/proc-stat.js';
import { summarizeResources } from '../../src/resources/resource-summary.js';
import { FakeClock } from '../pacing/fake-clock.js';

const MB = 1024 * 1024;

function fakeProbe(): SelfProbe & { cpuUs: number; rss: number; eldNs: number[]; disabled: boolean } {
  const probe = {
    cpuUs: 0,
    rss: 100 * MB,
    eldNs: [] as number[],
    disabled: false,
    cpuUsage: () => ({ user: probe.cpuUs * 0.75, system: probe.cpuUs * 0.25 }),
    memoryUsage: () => ({ rss: probe.rss, heapUsed: 40 * MB }),
    eventLoopDelay: {
      percentile: (p: number) => {
        const sorted = [...probe.eldNs].sort((a, b) => a - b);
        return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
      },
      get max() {
        return Math.max(0, ...probe.eldNs);
      },
      reset: () => {
        probe.eldNs = [];
      },
      disable: () => {
        probe.disabled = true;
      },
    },
  };
  return probe;
}

describe('ResourceSampler', () => {
  it('turns CPU-time deltas into % of a core and reads memory and event-loop delay per interval', async () => {
    const clock = new FakeClock(5000);
    const probe = fakeProbe();
    const kafkaCpuMs = [10_000, 10_500, 12_500];
    const readProcess = async (pid: number): Promise<ProcessReading> => ({
      pid,
      cpuMs: kafkaCpuMs.shift() ?? 0,
      rssBytes: 900 * MB,
      peakRssBytes: 950 * MB,
    });
    const sampler = new ResourceSampler({
      clock,
      selfProbe: probe,
      readProcess,
      self: 'processor',
      targets: [{ component: 'kafka', pid: 3840 }],
    });
    await sampler.start();
    clock.advance(1000);
    probe.cpuUs += 250_000; // 250 ms of CPU in 1 s
    probe.eldNs.push(1e6, 2e6, 30e6);
    await sampler.sample();
    clock.advance(1000);
    probe.cpuUs += 1_000_000;
    probe.rss = 200 * MB;
    await sampler.sample();
    const samples = await sampler.stop();
    expect(probe.disabled).toBe(true);
    expect(sampler.latest('kafka')).toEqual({
      pid: 3840,
      cpuMs: 12_500,
      rssBytes: 900 * MB,
      peakRssBytes: 950 * MB,
    });
    expect(samples).toEqual([
      {
        component: 'processor',
        tMs: 1000,
        cpuPercent: 25,
        rssBytes: 100 * MB,
        heapUsedBytes: 40 * MB,
        eventLoopDelayP99Ms: 30,
        eventLoopDelayMaxMs: 30,
      },
      {
        component: 'kafka',
        tMs: 1000,
        cpuPercent: 50,
        rssBytes: 900 * MB,
        heapUsedBytes: null,
        eventLoopDelayP99Ms: null,
        eventLoopDelayMaxMs: null,
      },
      {
        component: 'processor',
        tMs: 2000,
        cpuPercent: 100,
        rssBytes: 200 * MB,
        heapUsedBytes: 40 * MB,
        eventLoopDelayP99Ms: 0,
        eventLoopDelayMaxMs: 0,
      },
      {
        component: 'kafka',
        tMs: 2000,
        cpuPercent: 200,
        rssBytes: 900 * MB,
        heapUsedBytes: null,
        eventLoopDelayP99Ms: null,
        eventLoopDelayMaxMs: null,
      },
    ]);
    expect(summarizeResources(samples)).toEqual([
      {
        component: 'processor',
        samples: 2,
        cpuPercentMean: 62.5,
        cpuPercentMax: 100,
        rssMBMean: 150,
        rssMBMax: 200,
        heapUsedMBMax: 40,
        eventLoopDelayP99MsMax: 30,
        eventLoopDelayMaxMs: 30,
      },
      {
        component: 'kafka',
        samples: 2,
        cpuPercentMean: 125,
        cpuPercentMax: 200,
        rssMBMean: 900,
        rssMBMax: 900,
        heapUsedMBMax: null,
        eventLoopDelayP99MsMax: null,
        eventLoopDelayMaxMs: null,
      },
    ]);
  });

  it('lists processes it cannot read instead of reporting zeros', async () => {
    const clock = new FakeClock();
    const sampler = new ResourceSampler({
      clock,
      selfProbe: fakeProbe(),
      targets: [{ component: 'elasticsearch', pid: 77 }],
      readProcess: async () => {
        throw new BenchError(BENCH_ERROR_CODES.PROC_UNAVAILABLE, 'not available on darwin');
      },
    });
    await sampler.start();
    clock.advance(1000);
    await sampler.sample();
    await sampler.stop();
    expect(sampler.samples.map((s) => s.component)).toEqual(['bench']);
    expect(sampler.unavailable.get('elasticsearch')).toBe('not available on darwin');
  });

  it('samples the real process with the default probe', async () => {
    const sampler = new ResourceSampler({ self: 'test' });
    await sampler.start();
    await sampler.sample();
    const [sample] = await sampler.stop();
    expect(sample?.component).toBe('test');
    expect(sample?.rssBytes).toBeGreaterThan(0);
    expect(sample?.heapUsedBytes).toBeGreaterThan(0);
    expect(sample?.cpuPercent).toBeGreaterThanOrEqual(0);
  });

  it('validates options naming the option', () => {
    expect(() => new ResourceSampler({ intervalMs: 1 })).toThrow(/^intervalMs must be a number >= 10/);
    expect(() => new ResourceSampler({ targets: [{ component: 'bench', pid: 1 }] })).toThrow(
      /^targets\[0\]\.component must be a unique/,
    );
    expect(() => new ResourceSampler({ targets: [{ component: 'kafka', pid: 0 }] })).toThrow(
      /^targets\[0\]\.pid/,
    );
    expect(() => new ResourceSampler({ eventLoopResolutionMs: 0.5 })).toThrow(/^eventLoopResolutionMs/);
  });
});
