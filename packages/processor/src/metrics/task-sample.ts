/** A read-only view of one owned partition, as the stage sampler sees it. */
export interface SampledTask {
  readonly topic: string;
  readonly partition: number;
  /** The task object: its `watermark` / `watermarks.data` and `stateSize` are read when present. */
  readonly task: object;
  /** Wall-clock ms when the slot last committed fed records (or was created). */
  readonly lastActiveMs: number;
}

export interface PartitionSample {
  readonly topic: string;
  readonly partition: number;
  /** Event-time watermark in ms, undefined before the first event (−∞). */
  readonly watermarkMs: number | undefined;
  /** Wall clock − watermark, seconds (undefined with no watermark yet). */
  readonly watermarkLagSeconds: number | undefined;
  readonly idle: boolean;
}

/** Gauges of one stage, computed from its tasks at a commit-loop boundary. */
export interface StageSample {
  readonly partitions: PartitionSample[];
  readonly idlePartitions: number;
  /** Open (key, window) slots: entries of every store except dedup and progress stores. */
  readonly windowsOpen: number;
  /** Entries per state store, summed over the stage's tasks. */
  readonly stateEntries: Map<string, number>;
}

interface StoreSizeLike {
  readonly entries: number;
}

/** Reads a task's watermark: `watermark` (number or method) or `watermarks.data`; non-finite → undefined. */
export function taskWatermark(task: object): number | undefined {
  const t = task as { watermark?: unknown; watermarks?: { data?: unknown } };
  let value: unknown = t.watermark;
  if (typeof value === 'function') value = (value as () => unknown).call(task);
  if (value === undefined) value = t.watermarks?.data;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function taskStateSize(task: object): Record<string, StoreSizeLike> {
  const size = (task as { stateSize?: unknown }).stateSize;
  return typeof size === 'object' && size !== null ? (size as Record<string, StoreSizeLike>) : {};
}

/** Stores that hold no windows. */
function isWindowStore(store: string): boolean {
  return !store.endsWith('-dedup') && !store.endsWith('-progress') && !store.endsWith('-upstreams');
}

/**
 * Samples a stage's tasks: watermark and watermark lag per partition, idle partitions (nothing fed for
 * `idleTimeoutMs`), open windows and state entries per store. Pure: the clock is a parameter.
 */
export function sampleStage(
  tasks: readonly SampledTask[],
  nowMs: number,
  idleTimeoutMs: number,
): StageSample {
  const partitions: PartitionSample[] = [];
  const stateEntries = new Map<string, number>();
  let idlePartitions = 0;
  let windowsOpen = 0;
  for (const t of tasks) {
    const watermarkMs = taskWatermark(t.task);
    const idle = nowMs - t.lastActiveMs >= idleTimeoutMs;
    if (idle) idlePartitions += 1;
    partitions.push({
      topic: t.topic,
      partition: t.partition,
      watermarkMs,
      watermarkLagSeconds: watermarkMs === undefined ? undefined : (nowMs - watermarkMs) / 1000,
      idle,
    });
    for (const [store, size] of Object.entries(taskStateSize(t.task))) {
      const entries = typeof size?.entries === 'number' ? size.entries : 0;
      stateEntries.set(store, (stateEntries.get(store) ?? 0) + entries);
      if (isWindowStore(store)) windowsOpen += entries;
    }
  }
  return { partitions, idlePartitions, windowsOpen, stateEntries };
}
