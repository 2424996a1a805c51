import type { ResourceSample } from './resource-sampler.js';

/** Resource use of one component over a run. */
export interface ResourceSummary {
  readonly component: string;
  readonly samples: number;
  /** Mean CPU, % of one core. */
  readonly cpuPercentMean: number;
  readonly cpuPercentMax: number;
  readonly rssMBMean: number;
  readonly rssMBMax: number;
  /** Largest V8 heap in use, MB; null for other processes. */
  readonly heapUsedMBMax: number | null;
  /** Worst per-interval event-loop delay p99, ms; null for other processes. */
  readonly eventLoopDelayP99MsMax: number | null;
  readonly eventLoopDelayMaxMs: number | null;
}

const MB = 1024 * 1024;

function maxOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : Math.max(...present);
}

/** Per-component mean and max of the samples, components in first-seen order. */
export function summarizeResources(samples: readonly ResourceSample[]): ResourceSummary[] {
  const byComponent = new Map<string, ResourceSample[]>();
  for (const s of samples) {
    const list = byComponent.get(s.component) ?? [];
    list.push(s);
    byComponent.set(s.component, list);
  }
  return [...byComponent].map(([component, list]) => {
    const mean = (pick: (s: ResourceSample) => number): number =>
      list.reduce((sum, s) => sum + pick(s), 0) / list.length;
    return {
      component,
      samples: list.length,
      cpuPercentMean: mean((s) => s.cpuPercent),
      cpuPercentMax: Math.max(...list.map((s) => s.cpuPercent)),
      rssMBMean: mean((s) => s.rssBytes) / MB,
      rssMBMax: Math.max(...list.map((s) => s.rssBytes)) / MB,
      heapUsedMBMax: ((v) => (v === null ? null : v / MB))(maxOrNull(list.map((s) => s.heapUsedBytes))),
      eventLoopDelayP99MsMax: maxOrNull(list.map((s) => s.eventLoopDelayP99Ms)),
      eventLoopDelayMaxMs: maxOrNull(list.map((s) => s.eventLoopDelayMaxMs)),
    };
  });
}
