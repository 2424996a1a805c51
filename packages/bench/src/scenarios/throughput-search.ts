import { InvalidOptionError } from '../errors.js';

/** How the `max-throughput` scenario raises the rate and decides that a step diverged. */
export interface ThroughputSearchOptions {
  /** Rate of the first step, events/s. */
  readonly startRate: number;
  /** Each next step's rate is the previous one × this factor (> 1). */
  readonly stepFactor: number;
  /** Never try a rate above this, events/s. */
  readonly maxRate: number;
  /** A step whose produce-ack p99 (from intended send time) exceeds this diverged, ms. */
  readonly ackP99LimitMs: number;
  /** A step whose input lag at its end exceeds this many seconds of input (lag / rate) diverged. */
  readonly lagLimitSec: number;
  /** A step that sent less than this fraction of its planned events (the generator fell behind) diverged. */
  readonly minSentFraction: number;
}

export const THROUGHPUT_SEARCH_DEFAULTS: ThroughputSearchOptions = {
  startRate: 5_000,
  stepFactor: 1.5,
  maxRate: 2_000_000,
  ackP99LimitMs: 2_000,
  lagLimitSec: 2,
  minSentFraction: 0.95,
};

/** What one step measured. */
export interface StepMeasurement {
  readonly rate: number;
  readonly planned: number;
  readonly sent: number;
  /** Events per second acknowledged over the step. */
  readonly achievedPerSec: number;
  readonly ackP99Ms: number;
  /** End offsets minus the processor group's committed offsets on the input topic, at the end of the step. */
  readonly lag: number;
  /** CPU of the processor process over the step, in cores (1 = one core busy). Null when not readable. */
  readonly processorCores: number | null;
}

export interface StepVerdict extends StepMeasurement {
  readonly stable: boolean;
  /** Why the step diverged (empty when stable). */
  readonly reasons: readonly string[];
}

export function resolveThroughputSearchOptions(
  input: Partial<ThroughputSearchOptions> = {},
): ThroughputSearchOptions {
  const o = { ...THROUGHPUT_SEARCH_DEFAULTS, ...input };
  const positive = (key: keyof ThroughputSearchOptions): void => {
    if (!Number.isFinite(o[key]) || o[key] <= 0)
      throw new InvalidOptionError(key, 'must be a positive number', o[key]);
  };
  for (const key of ['startRate', 'maxRate', 'ackP99LimitMs', 'lagLimitSec'] as const) positive(key);
  if (!Number.isFinite(o.stepFactor) || o.stepFactor <= 1 || o.stepFactor > 10) {
    throw new InvalidOptionError('stepFactor', 'must be > 1 and at most 10', o.stepFactor);
  }
  if (!(o.minSentFraction > 0 && o.minSentFraction <= 1)) {
    throw new InvalidOptionError('minSentFraction', 'must be in (0, 1]', o.minSentFraction);
  }
  if (o.maxRate < o.startRate)
    throw new InvalidOptionError('maxRate', 'must be at least startRate', o.maxRate);
  return o;
}

/**
 * The pure part of `max-throughput`: proposes rates (start, ×factor, …, capped at maxRate), judges each step
 * against the ack-latency, lag and sent-fraction limits and remembers the last stable step. It stops at the first
 * diverged step or after the step at maxRate.
 */
export class ThroughputSearch {
  readonly options: ThroughputSearchOptions;
  readonly #steps: StepVerdict[] = [];
  #done = false;

  constructor(options: Partial<ThroughputSearchOptions> = {}) {
    this.options = resolveThroughputSearchOptions(options);
  }

  /** The rate of the next step, or undefined when the search is over. */
  nextRate(): number | undefined {
    if (this.#done) return undefined;
    const last = this.#steps.at(-1);
    if (last === undefined) return Math.round(this.options.startRate);
    return Math.round(Math.min(this.options.maxRate, last.rate * this.options.stepFactor));
  }

  judge(step: StepMeasurement): StepVerdict {
    const o = this.options;
    const reasons: string[] = [];
    if (step.ackP99Ms > o.ackP99LimitMs)
      reasons.push(`produce-ack p99 ${step.ackP99Ms} ms > ${o.ackP99LimitMs} ms`);
    if (step.lag > step.rate * o.lagLimitSec) {
      reasons.push(
        `input lag ${step.lag} > ${o.lagLimitSec} s of input (${Math.round(step.rate * o.lagLimitSec)})`,
      );
    }
    if (step.sent < step.planned * o.minSentFraction) {
      reasons.push(`sent ${step.sent} of ${step.planned} planned events`);
    }
    return { ...step, stable: reasons.length === 0, reasons };
  }

  /** Records a step; the search ends at its first diverged step or after the step at maxRate. */
  record(step: StepMeasurement): StepVerdict {
    const verdict = this.judge(step);
    this.#steps.push(verdict);
    if (!verdict.stable || step.rate >= this.options.maxRate) this.#done = true;
    return verdict;
  }

  /** Ends the search early (time budget spent). */
  stop(): void {
    this.#done = true;
  }

  get done(): boolean {
    return this.#done;
  }

  get steps(): readonly StepVerdict[] {
    return this.#steps;
  }

  /** The last stable step, or undefined when even the first step diverged. */
  get lastStable(): StepVerdict | undefined {
    return this.#steps.filter((s) => s.stable).at(-1);
  }
}

/** Events per second per core of the processor: achieved rate / cores busy; null when CPU was not measured. */
export function eventsPerCore(
  step: Pick<StepMeasurement, 'achievedPerSec' | 'processorCores'>,
): number | null {
  if (step.processorCores === null || step.processorCores <= 0) return null;
  return step.achievedPerSec / step.processorCores;
}
