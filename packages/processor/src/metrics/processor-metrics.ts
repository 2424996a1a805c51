import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ENGINE_CHANNELS } from '../engine/diagnostics.js';
import { PROCESSOR_ERROR_CODES } from '../errors.js';
import { PROCESSOR_METRIC_NAMES } from '@tributary/schema';
import type { OutputSummary } from './output-summary.js';
import type { StageSample } from './task-sample.js';

/** The ProcessorMetrics whose task is running right now (engine channels publish synchronously inside it). */
let active: object | undefined;

/** Buckets of the event-time latency histogram, seconds: a window result is due at its end + B + commit interval. */
export const EVENT_TIME_LATENCY_BUCKETS = [
  0.1, 0.25, 0.5, 1, 2.5, 5, 7.5, 10, 15, 30, 60, 120, 300, 600,
] as const;

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
  /** Window results emitted (final and early/update), counted from the engine's window-fired events. */
  windowsFired: number;
  lateEvents: number;
  deadLetters: number;
  /** Output records over their topic's max.message.bytes, replaced by a truncated dead letter. */
  oversizedRecords: number;
  /** Remembered event ids forgotten at the maxDedupEntries cap, counted from the engine's dedup-evicted events. */
  dedupEvictions: number;
  /** Failed commit rounds since the last successful one, summed over stages. */
  consecutiveCommitFailures: number;
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
    windowsFired: 0,
    lateEvents: 0,
    deadLetters: 0,
    oversizedRecords: 0,
    dedupEvictions: 0,
    consecutiveCommitFailures: 0,
  };
  /** Window fires since the last push to prom-client, by stage and kind (plain numbers, counted per event). */
  readonly #fired = new Map<string, { final: number; update: number }>();
  /** Dedup evictions (ids) since the last push to prom-client, by stage. */
  readonly #evicted = new Map<string, number>();
  readonly #consecutive = new Map<string, number>();
  #stage: string | undefined;
  /** Identity of this instance in `active`. */
  readonly #scope = {};
  #onWindowFired: ((message: unknown) => void) | undefined;
  #onDedupEvicted: ((message: unknown) => void) | undefined;
  /** Series of partition gauges last set per stage, so partitions that moved away are removed. */
  readonly #partitionSeries = new Map<string, Set<string>>();
  readonly #storeSeries = new Map<string, Set<string>>();
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
        consecutiveFailures: Gauge<'stage'>;
        watermarkLag: Gauge<'stage' | 'topic' | 'partition'>;
        idlePartitions: Gauge<'stage'>;
        windowsOpen: Gauge<'stage'>;
        windowsFired: Counter<'stage' | 'kind'>;
        late: Counter<'stage'>;
        deadLetters: Counter<'stage' | 'code'>;
        dedupEvictions: Counter<'stage'>;
        oversized: Counter<'stage' | 'output'>;
        stateEntries: Gauge<'stage' | 'store'>;
        latency: Histogram<'stage'>;
      }
    | undefined;

  constructor(registry?: Registry) {
    if (registry === undefined) return;
    const registers = [registry];
    this.#prom = {
      recordsIn: new Counter({
        name: PROCESSOR_METRIC_NAMES.recordsIn,
        help: 'Input records fed to tasks',
        labelNames: ['stage', 'topic'],
        registers,
      }),
      recordsOut: new Counter({
        name: PROCESSOR_METRIC_NAMES.recordsOut,
        help: 'Output records committed',
        labelNames: ['stage', 'output'],
        registers,
      }),
      changelog: new Counter({
        name: PROCESSOR_METRIC_NAMES.changelogRecords,
        help: 'Changelog records committed',
        labelNames: ['stage'],
        registers,
      }),
      commitDuration: new Histogram({
        name: PROCESSOR_METRIC_NAMES.commitDuration,
        help: 'Duration of one task commit (transaction or produce + offset commit)',
        labelNames: ['stage'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers,
      }),
      commitFailures: new Counter({
        name: PROCESSOR_METRIC_NAMES.commitFailures,
        help: 'Aborted or failed commits',
        labelNames: ['stage'],
        registers,
      }),
      restoreDuration: new Histogram({
        name: PROCESSOR_METRIC_NAMES.restoreDuration,
        help: 'Duration of restoring newly assigned tasks from their changelogs',
        labelNames: ['stage'],
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        registers,
      }),
      restored: new Counter({
        name: PROCESSOR_METRIC_NAMES.restoredRecords,
        help: 'Changelog records replayed into tasks',
        labelNames: ['stage'],
        registers,
      }),
      lag: new Gauge({
        name: PROCESSOR_METRIC_NAMES.consumerLag,
        help: 'Offsets behind the high watermark',
        labelNames: ['stage', 'topic', 'partition'],
        registers,
      }),
      watermark: new Gauge({
        name: PROCESSOR_METRIC_NAMES.watermark,
        help: 'Event-time watermark of the task, ms',
        labelNames: ['stage', 'topic', 'partition'],
        registers,
      }),
      restarts: new Counter({
        name: PROCESSOR_METRIC_NAMES.stageRestarts,
        help: 'Stage restarts after a failed commit',
        labelNames: ['stage'],
        registers,
      }),
      activeTasks: new Gauge({
        name: PROCESSOR_METRIC_NAMES.activeTasks,
        help: 'Tasks currently owned',
        labelNames: ['stage'],
        registers,
      }),
      consecutiveFailures: new Gauge({
        name: PROCESSOR_METRIC_NAMES.consecutiveCommitFailures,
        help: 'Failed commit rounds (stage restarts) since the last successful commit; 0 when healthy',
        labelNames: ['stage'],
        registers,
      }),
      watermarkLag: new Gauge({
        name: PROCESSOR_METRIC_NAMES.watermarkLag,
        help: 'Wall clock minus the event-time watermark of the task, seconds',
        labelNames: ['stage', 'topic', 'partition'],
        registers,
      }),
      idlePartitions: new Gauge({
        name: PROCESSOR_METRIC_NAMES.idlePartitions,
        help: 'Owned partitions with no records for the idle timeout',
        labelNames: ['stage'],
        registers,
      }),
      windowsOpen: new Gauge({
        name: PROCESSOR_METRIC_NAMES.windowsOpen,
        help: 'Open (key, window) slots held in state',
        labelNames: ['stage'],
        registers,
      }),
      windowsFired: new Counter({
        name: PROCESSOR_METRIC_NAMES.windowsFired,
        help: 'Window results emitted: kind="final" when the window closed, "update" for early/late updates',
        labelNames: ['stage', 'kind'],
        registers,
      }),
      late: new Counter({
        name: PROCESSOR_METRIC_NAMES.lateEvents,
        help: 'Events routed to the late output (their windows had closed), committed',
        labelNames: ['stage'],
        registers,
      }),
      deadLetters: new Counter({
        name: PROCESSOR_METRIC_NAMES.deadLetters,
        help: 'Records routed to the dead-letter output, committed, by error code',
        labelNames: ['stage', 'code'],
        registers,
      }),
      dedupEvictions: new Counter({
        name: PROCESSOR_METRIC_NAMES.dedupEvictions,
        help: 'Remembered event ids forgotten at the maxDedupEntries cap before their TTL (oldest event-time buckets first)',
        labelNames: ['stage'],
        registers,
      }),
      oversized: new Counter({
        name: PROCESSOR_METRIC_NAMES.oversizedRecords,
        help: "Output records over their topic's max.message.bytes, replaced by a truncated dead letter, by output",
        labelNames: ['stage', 'output'],
        registers,
      }),
      stateEntries: new Gauge({
        name: PROCESSOR_METRIC_NAMES.stateEntries,
        help: 'Entries per state store, summed over the tasks of the stage',
        labelNames: ['stage', 'store'],
        registers,
      }),
      latency: new Histogram({
        name: PROCESSOR_METRIC_NAMES.eventTimeLatency,
        help: 'At output commit: wall clock minus the event time of the output (a window result: its window end), seconds',
        labelNames: ['stage'],
        buckets: [...EVENT_TIME_LATENCY_BUCKETS],
        registers,
      }),
    };
    this.#onWindowFired = (message: unknown) => {
      if (active !== this.#scope || this.#stage === undefined) return;
      let counts = this.#fired.get(this.#stage);
      if (counts === undefined) this.#fired.set(this.#stage, (counts = { final: 0, update: 0 }));
      if ((message as { isFinal?: boolean }).isFinal === true) counts.final += 1;
      else counts.update += 1;
    };
    subscribe(ENGINE_CHANNELS.windowFired.name as string, this.#onWindowFired);
    this.#onDedupEvicted = (message: unknown) => {
      if (active !== this.#scope || this.#stage === undefined) return;
      const ids = (message as { ids?: unknown }).ids;
      if (typeof ids === 'number' && ids > 0)
        this.#evicted.set(this.#stage, (this.#evicted.get(this.#stage) ?? 0) + ids);
    };
    subscribe(ENGINE_CHANNELS.dedupEvicted.name as string, this.#onDedupEvicted);
  }

  /** Marks `stage` as running a task now (called before a task's process/tick): window fires count for it. */
  enter(stage: string): void {
    active = this.#scope;
    this.#stage = stage;
  }

  /** Stops listening to engine events (the job stopped). */
  close(): void {
    if (this.#onWindowFired !== undefined)
      unsubscribe(ENGINE_CHANNELS.windowFired.name as string, this.#onWindowFired);
    this.#onWindowFired = undefined;
    if (this.#onDedupEvicted !== undefined)
      unsubscribe(ENGINE_CHANNELS.dedupEvicted.name as string, this.#onDedupEvicted);
    this.#onDedupEvicted = undefined;
    if (active === this.#scope) active = undefined;
  }

  /** Pushes window fires counted since the last call (at commit boundaries). */
  #flushFired(): void {
    for (const [stage, counts] of this.#fired) {
      if (counts.final > 0) this.#prom?.windowsFired.inc({ stage, kind: 'final' }, counts.final);
      if (counts.update > 0) this.#prom?.windowsFired.inc({ stage, kind: 'update' }, counts.update);
      this.stats.windowsFired += counts.final + counts.update;
      counts.final = 0;
      counts.update = 0;
    }
  }

  /** Pushes dedup evictions counted since the last call (at commit boundaries). */
  #flushEvicted(): void {
    for (const [stage, ids] of this.#evicted) {
      if (ids === 0) continue;
      this.#prom?.dedupEvictions.inc({ stage }, ids);
      this.stats.dedupEvictions += ids;
      this.#evicted.set(stage, 0);
    }
  }

  /** Late events, dead letters and result latency of one successful commit. */
  outputsCommitted(stage: string, summary: OutputSummary): void {
    this.#flushFired();
    this.#flushEvicted();
    const s = this.stats;
    if (summary.late > 0) {
      s.lateEvents += summary.late;
      this.#prom?.late.inc({ stage }, summary.late);
    }
    for (const [code, count] of summary.deadLetters) {
      s.deadLetters += count;
      this.#prom?.deadLetters.inc({ stage, code }, count);
    }
    const latency = this.#prom?.latency;
    if (latency !== undefined && summary.resultLatenciesSeconds.length > 0) {
      const child = latency.labels({ stage });
      for (const seconds of summary.resultLatenciesSeconds) child.observe(seconds);
    }
  }

  /**
   * Output records of one successful commit that were replaced by a dead letter for their size, by logical output.
   * Those of other outputs also count as dead letters with code TRIB_PROC_RECORD_TOO_LARGE (a dead letter that was
   * itself too large was already counted under its own code).
   */
  oversized(stage: string, byOutput: ReadonlyMap<string, number>, deadLetterOutput: string): void {
    for (const [output, count] of byOutput) {
      this.stats.oversizedRecords += count;
      this.#prom?.oversized.inc({ stage, output }, count);
      if (output === deadLetterOutput) continue;
      this.stats.deadLetters += count;
      this.#prom?.deadLetters.inc({ stage, code: PROCESSOR_ERROR_CODES.RECORD_TOO_LARGE }, count);
    }
  }

  /** Sets the stage's gauges from a sample of its tasks (commit-loop boundary). */
  sampled(stage: string, sample: StageSample): void {
    const prom = this.#prom;
    if (prom === undefined) return;
    prom.idlePartitions.set({ stage }, sample.idlePartitions);
    prom.windowsOpen.set({ stage }, sample.windowsOpen);
    const partitions = new Set<string>();
    for (const p of sample.partitions) {
      const labels = { stage, topic: p.topic, partition: String(p.partition) };
      partitions.add(`${p.topic}\u0000${p.partition}`);
      if (p.watermarkMs !== undefined) prom.watermark.set(labels, p.watermarkMs);
      if (p.watermarkLagSeconds !== undefined) prom.watermarkLag.set(labels, p.watermarkLagSeconds);
    }
    for (const key of this.#partitionSeries.get(stage) ?? []) {
      if (partitions.has(key)) continue;
      const [topic, partition] = key.split('\u0000') as [string, string];
      const labels = { stage, topic, partition };
      prom.watermark.remove(labels);
      prom.watermarkLag.remove(labels);
      prom.lag.remove(labels);
    }
    this.#partitionSeries.set(stage, partitions);
    const stores = new Set(sample.stateEntries.keys());
    for (const [store, entries] of sample.stateEntries) prom.stateEntries.set({ stage, store }, entries);
    for (const store of this.#storeSeries.get(stage) ?? [])
      if (!stores.has(store)) prom.stateEntries.remove({ stage, store });
    this.#storeSeries.set(stage, stores);
  }

  /** Failed commit rounds in a row for `stage` (0 resets it after a successful commit). */
  consecutiveCommitFailures(stage: string, count: number): void {
    const before = this.#consecutive.get(stage) ?? 0;
    if (before === count && this.#consecutive.has(stage)) return;
    this.#consecutive.set(stage, count);
    this.stats.consecutiveCommitFailures += count - before;
    this.#prom?.consecutiveFailures.set({ stage }, count);
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
