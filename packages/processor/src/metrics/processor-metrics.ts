import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { METRIC_NAMES } from './metric-names.js';

/** Live figures of a running job, always kept (cheap plain numbers), whether or not a registry is given. */
export interface StreamJobStats {
  recordsIn: number;
  recordsOut: number;
  changelogRecords: number;
  commits: number;
  commitFailures: number;
  /** Sum and max of transaction (or produce + offset commit) durations, ms. */
  commitMsTotal: number;
  commitMsMax: number;
  restores: number;
  restoredRecords: number;
  restoreMsTotal: number;
  restoreMsMax: number;
  stageRestarts: number;
  activeTasks: number;
}

/** Records runtime metrics into plain stats and, when given, a prom-client registry. */
export class ProcessorMetrics {
  readonly stats: StreamJobStats = {
    recordsIn: 0,
    recordsOut: 0,
    changelogRecords: 0,
    commits: 0,
    commitFailures: 0,
    commitMsTotal: 0,
    commitMsMax: 0,
    restores: 0,
    restoredRecords: 0,
    restoreMsTotal: 0,
    restoreMsMax: 0,
    stageRestarts: 0,
    activeTasks: 0,
  };
  readonly #prom:
    | {
        recordsIn: Counter<'stage' | 'topic'>;
        recordsOut: Counter<'stage' | 'output'>;
        changelog: Counter<'stage'>;
        commitDuration: Histogram<'stage'>;
        commitFailures: Counter<'stage'>;
        restoreDuration: Histogram<'stage'>;
        restored: Counter<'stage'>;
        lag: Gauge<'stage' | 'topic' | 'partition'>;
        watermark: Gauge<'stage' | 'topic' | 'partition'>;
        restarts: Counter<'stage'>;
        activeTasks: Gauge<'stage'>;
      }
    | undefined;

  constructor(registry?: Registry) {
    if (registry === undefined) return;
    const registers = [registry];
    this.#prom = {
      recordsIn: new Counter({
        name: METRIC_NAMES.recordsIn,
        help: 'Input records fed to tasks',
        labelNames: ['stage', 'topic'],
        registers,
      }),
      recordsOut: new Counter({
        name: METRIC_NAMES.recordsOut,
        help: 'Output records committed',
        labelNames: ['stage', 'output'],
        registers,
      }),
      changelog: new Counter({
        name: METRIC_NAMES.changelogRecords,
        help: 'Changelog records committed',
        labelNames: ['stage'],
        registers,
      }),
      commitDuration: new Histogram({
        name: METRIC_NAMES.commitDuration,
        help: 'Duration of one task commit (transaction or produce + offset commit)',
        labelNames: ['stage'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers,
      }),
      commitFailures: new Counter({
        name: METRIC_NAMES.commitFailures,
        help: 'Aborted or failed commits',
        labelNames: ['stage'],
        registers,
      }),
      restoreDuration: new Histogram({
        name: METRIC_NAMES.restoreDuration,
        help: 'Duration of restoring newly assigned tasks from their changelogs',
        labelNames: ['stage'],
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        registers,
      }),
      restored: new Counter({
        name: METRIC_NAMES.restoredRecords,
        help: 'Changelog records replayed into tasks',
        labelNames: ['stage'],
        registers,
      }),
      lag: new Gauge({
        name: METRIC_NAMES.consumerLag,
        help: 'Offsets behind the high watermark',
        labelNames: ['stage', 'topic', 'partition'],
        registers,
      }),
      watermark: new Gauge({
        name: METRIC_NAMES.watermark,
        help: 'Event-time watermark of the task, ms',
        labelNames: ['stage', 'topic', 'partition'],
        registers,
      }),
      restarts: new Counter({
        name: METRIC_NAMES.stageRestarts,
        help: 'Stage restarts after a failed commit',
        labelNames: ['stage'],
        registers,
      }),
      activeTasks: new Gauge({
        name: METRIC_NAMES.activeTasks,
        help: 'Tasks currently owned',
        labelNames: ['stage'],
        registers,
      }),
    };
  }

  recordsIn(stage: string, topic: string, count: number): void {
    this.stats.recordsIn += count;
    this.#prom?.recordsIn.inc({ stage, topic }, count);
  }

  committed(
    stage: string,
    outputs: ReadonlyMap<string, number>,
    changelog: number,
    durationMs: number,
  ): void {
    const s = this.stats;
    s.commits += 1;
    s.commitMsTotal += durationMs;
    s.commitMsMax = Math.max(s.commitMsMax, durationMs);
    s.changelogRecords += changelog;
    for (const [output, count] of outputs) {
      s.recordsOut += count;
      this.#prom?.recordsOut.inc({ stage, output }, count);
    }
    if (changelog > 0) this.#prom?.changelog.inc({ stage }, changelog);
    this.#prom?.commitDuration.observe({ stage }, durationMs / 1000);
  }

  commitFailed(stage: string): void {
    this.stats.commitFailures += 1;
    this.#prom?.commitFailures.inc({ stage });
  }

  restored(stage: string, records: number, durationMs: number): void {
    const s = this.stats;
    s.restores += 1;
    s.restoredRecords += records;
    s.restoreMsTotal += durationMs;
    s.restoreMsMax = Math.max(s.restoreMsMax, durationMs);
    this.#prom?.restored.inc({ stage }, records);
    this.#prom?.restoreDuration.observe({ stage }, durationMs / 1000);
  }

  lag(stage: string, topic: string, partition: number, lag: number): void {
    this.#prom?.lag.set({ stage, topic, partition: String(partition) }, lag);
  }

  watermark(stage: string, topic: string, partition: number, watermarkMs: number): void {
    if (Number.isFinite(watermarkMs))
      this.#prom?.watermark.set({ stage, topic, partition: String(partition) }, watermarkMs);
  }

  stageRestarted(stage: string): void {
    this.stats.stageRestarts += 1;
    this.#prom?.restarts.inc({ stage });
  }

  activeTasks(stage: string, delta: number): void {
    this.stats.activeTasks += delta;
    this.#prom?.activeTasks.inc({ stage }, delta);
  }
}
