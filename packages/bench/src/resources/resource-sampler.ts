import { monitorEventLoopDelay } from 'node:perf_hooks';
import { InvalidOptionError, isBenchError } from '../errors.js';
import { systemClock, type Clock } from '../pacing/clock.js';
import { cpuPercent } from './cpu-percent.js';
import { readProcess, type ProcReaderOptions, type ProcessReading } from './proc-stat.js';

/** Defaults of `ResourceSampler`. */
export const RESOURCE_SAMPLER_DEFAULTS = {
  intervalMs: 1000,
  /** Component name of the sampling process itself; `false` to not sample it. */
  self: 'bench',
  /** Sampling resolution of `monitorEventLoopDelay`, ms. */
  eventLoopResolutionMs: 5,
} as const;

/** One reading of one component at the end of one interval. */
export interface ResourceSample {
  readonly component: string;
  /** Clock ms since `start()`. */
  readonly tMs: number;
  /** CPU over the interval, % of one core. */
  readonly cpuPercent: number;
  readonly rssBytes: number;
  /** V8 heap in use; null for other processes. */
  readonly heapUsedBytes: number | null;
  /** Event-loop delay over the interval; null for other processes. */
  readonly eventLoopDelayP99Ms: number | null;
  readonly eventLoopDelayMaxMs: number | null;
}

/** What the sampler reads from its own process; injectable for tests. */
export interface SelfProbe {
  cpuUsage(): { user: number; system: number };
  memoryUsage(): { rss: number; heapUsed: number };
  /** An enabled event-loop delay histogram (nanoseconds), reset after each read. */
  readonly eventLoopDelay: {
    percentile(p: number): number;
    readonly max: number;
    reset(): void;
    disable(): void;
  };
}

export interface ResourceTarget {
  readonly component: string;
  readonly pid: number;
}

export interface ResourceSamplerOptions {
  /** @defaultValue 1000 */
  readonly intervalMs?: number;
  /** Other processes to sample through /proc (Kafka, Elasticsearch JVMs, a processor child). */
  readonly targets?: readonly ResourceTarget[];
  /** @defaultValue 'bench' */
  readonly self?: string | false;
  /** @defaultValue 5 */
  readonly eventLoopResolutionMs?: number;
  readonly clock?: Clock;
  readonly proc?: ProcReaderOptions;
  /** Replaces the real `process`/`perf_hooks` readings (tests). */
  readonly selfProbe?: SelfProbe;
  /** Replaces `readProcess` (tests). */
  readonly readProcess?: (pid: number, options: ProcReaderOptions) => Promise<ProcessReading>;
}

function defaultSelfProbe(resolutionMs: number): SelfProbe {
  const eld = monitorEventLoopDelay({ resolution: resolutionMs });
  eld.enable();
  return {
    cpuUsage: () => process.cpuUsage(),
    memoryUsage: () => process.memoryUsage(),
    eventLoopDelay: eld,
  };
}

const NS_PER_MS = 1e6;

/**
 * Samples CPU (% of one core, from cumulative CPU-time deltas), RSS, V8 heap and event-loop delay of this process,
 * and CPU + RSS of other processes through /proc, once per interval. Other processes that cannot be read (not
 * Linux, process gone) are listed in `unavailable` with the reason instead of producing made-up zeros.
 */
export class ResourceSampler {
  readonly intervalMs: number;
  readonly #targets: readonly ResourceTarget[];
  readonly #self: string | false;
  readonly #resolutionMs: number;
  readonly #clock: Clock;
  readonly #proc: ProcReaderOptions;
  readonly #read: (pid: number, options: ProcReaderOptions) => Promise<ProcessReading>;
  readonly #injectedProbe: SelfProbe | undefined;
  #probe: SelfProbe | undefined;
  #timer: NodeJS.Timeout | undefined;
  #startMs = 0;
  #lastMs = 0;
  #lastSelfCpuMs = 0;
  readonly #latest = new Map<string, ProcessReading>();
  readonly #samples: ResourceSample[] = [];
  readonly #unavailable = new Map<string, string>();
  #inFlight: Promise<void> | undefined;

  constructor(options: ResourceSamplerOptions = {}) {
    const intervalMs = options.intervalMs ?? RESOURCE_SAMPLER_DEFAULTS.intervalMs;
    if (!Number.isFinite(intervalMs) || intervalMs < 10) {
      throw new InvalidOptionError('intervalMs', 'must be a number >= 10', intervalMs);
    }
    const resolutionMs = options.eventLoopResolutionMs ?? RESOURCE_SAMPLER_DEFAULTS.eventLoopResolutionMs;
    if (!Number.isInteger(resolutionMs) || resolutionMs < 1) {
      throw new InvalidOptionError('eventLoopResolutionMs', 'must be an integer >= 1', resolutionMs);
    }
    const self = options.self ?? RESOURCE_SAMPLER_DEFAULTS.self;
    if (self !== false && (typeof self !== 'string' || self === '')) {
      throw new InvalidOptionError('self', 'must be a non-empty component name or false', self);
    }
    const names = new Set<string>(self === false ? [] : [self]);
    for (const [i, target] of (options.targets ?? []).entries()) {
      if (typeof target.component !== 'string' || target.component === '' || names.has(target.component)) {
        throw new InvalidOptionError(
          `targets[${i}].component`,
          'must be a unique non-empty name',
          target.component,
        );
      }
      if (!Number.isSafeInteger(target.pid) || target.pid < 1) {
        throw new InvalidOptionError(`targets[${i}].pid`, 'must be a positive integer', target.pid);
      }
      names.add(target.component);
    }
    this.intervalMs = intervalMs;
    this.#targets = [...(options.targets ?? [])];
    this.#self = self;
    this.#resolutionMs = resolutionMs;
    this.#clock = options.clock ?? systemClock;
    this.#proc = options.proc ?? {};
    this.#read = options.readProcess ?? readProcess;
    this.#injectedProbe = options.selfProbe;
  }

  /** Samples taken so far. */
  get samples(): readonly ResourceSample[] {
    return this.#samples;
  }

  /** Components that could not be sampled, with the reason. */
  get unavailable(): ReadonlyMap<string, string> {
    return this.#unavailable;
  }

  /** The last reading of another process (cumulative CPU time since it started, RSS, peak RSS). */
  latest(component: string): ProcessReading | undefined {
    return this.#latest.get(component);
  }

  /** Takes the baseline readings. Call `sample()` yourself, or pass `{ timer: true }` to sample every interval. */
  async start(options: { timer?: boolean } = {}): Promise<void> {
    this.#probe = this.#injectedProbe ?? defaultSelfProbe(this.#resolutionMs);
    this.#startMs = this.#lastMs = this.#clock.now();
    const cpu = this.#probe.cpuUsage();
    this.#lastSelfCpuMs = (cpu.user + cpu.system) / 1000;
    this.#probe.eventLoopDelay.reset();
    await Promise.all(
      this.#targets.map(async (t) => {
        const reading = await this.#tryRead(t);
        if (reading) this.#latest.set(t.component, reading);
      }),
    );
    if (options.timer === true) {
      this.#timer = setInterval(() => {
        this.#inFlight ??= this.sample().finally(() => (this.#inFlight = undefined));
      }, this.intervalMs);
      this.#timer.unref();
    }
  }

  /** Takes one sample of every component (the interval being the time since the previous sample). */
  async sample(): Promise<void> {
    const probe = this.#probe;
    if (probe === undefined) throw new Error('ResourceSampler.sample() called before start()');
    const now = this.#clock.now();
    const elapsedMs = now - this.#lastMs;
    const tMs = now - this.#startMs;
    this.#lastMs = now;
    if (this.#self !== false) {
      const cpu = probe.cpuUsage();
      const cpuMs = (cpu.user + cpu.system) / 1000;
      const mem = probe.memoryUsage();
      const eld = probe.eventLoopDelay;
      this.#samples.push({
        component: this.#self,
        tMs,
        cpuPercent: cpuPercent(this.#lastSelfCpuMs, cpuMs, elapsedMs),
        rssBytes: mem.rss,
        heapUsedBytes: mem.heapUsed,
        eventLoopDelayP99Ms: eld.percentile(99) / NS_PER_MS,
        eventLoopDelayMaxMs: eld.max / NS_PER_MS,
      });
      eld.reset();
      this.#lastSelfCpuMs = cpuMs;
    }
    const readings = await Promise.all(this.#targets.map(async (t) => [t, await this.#tryRead(t)] as const));
    for (const [target, reading] of readings) {
      if (reading === undefined) continue;
      const previous = this.#latest.get(target.component)?.cpuMs;
      this.#latest.set(target.component, reading);
      if (previous === undefined) continue;
      this.#samples.push({
        component: target.component,
        tMs,
        cpuPercent: cpuPercent(previous, reading.cpuMs, elapsedMs),
        rssBytes: reading.rssBytes,
        heapUsedBytes: null,
        eventLoopDelayP99Ms: null,
        eventLoopDelayMaxMs: null,
      });
    }
  }

  /** Stops the timer and the event-loop monitor; returns all samples. */
  async stop(): Promise<readonly ResourceSample[]> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
    this.#probe?.eventLoopDelay.disable();
    return this.#samples;
  }

  async #tryRead(target: ResourceTarget): Promise<ProcessReading | undefined> {
    if (this.#unavailable.has(target.component)) return undefined;
    try {
      return await this.#read(target.pid, this.#proc);
    } catch (error) {
      if (!isBenchError(error)) throw error;
      this.#unavailable.set(target.component, error.message);
      return undefined;
    }
  }
}
