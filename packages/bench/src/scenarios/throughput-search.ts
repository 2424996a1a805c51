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
  /** A step whose Kafka → processor p99 (record timestamp → consumed, in the processor) exceeds this diverged, ms. */
  readonly consumeP99LimitMs: number;
  /** A step whose input lag at its end exceeds this many seconds of input (lag / rate) diverged. */
  readonly lagLimitSec: number;
  /**
   * A step that sent less than this fraction of its planned events hit the load generator's limit (the bench
   * process could not send faster): the search ends there without calling the pipeline diverged.
   */
  readonly minSentFraction: number;
  /**
   * Repeat a diverged step once at the same rate and end the search only when it diverges again: one noisy step
   * (a GC, a rebalance, a neighbour on a shared host) does not end the search.
   */
  readonly confirmDivergence: boolean;
}

export const THROUGHPUT_SEARCH_DEFAULTS: ThroughputSearchOptions = {
  startRate: 5_000,
  stepFactor: 2,
  maxRate: 2_000_000,
  ackP99LimitMs: 2_000,
  consumeP99LimitMs: 2_000,
  lagLimitSec: 2,
  minSentFraction: 0.95,
  confirmDivergence: true,
};

/** What one step measured. */
export interface StepMeasurement {
  readonly rate: number;
  readonly planned: number;
  readonly sent: number;
  /** Events per second acknowledged over the step. */
  readonly achievedPerSec: number;
  readonly ackP99Ms: number;
  /** Kafka → processor p99 over the step, ms (null when the probe reported nothing). */
  readonly consumeP99Ms: number | null;
  /** End offsets minus the processor group's committed offsets on the input topic, at the end of the step. */
  readonly lag: number;
  /** CPU of the processor process over the step, in cores (1 = one core busy). Null when not readable. */
  readonly processorCores: number | null;
}

/** How a step ended: stable, the pipeline diverged, or the load generator could not send the rate. */
export const STEP_OUTCOMES = {
  STABLE: 'stable',
  DIVERGED: 'diverged',
  GENERATOR_LIMITED: 'generator-limited',
} as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[keyof typeof STEP_OUTCOMES];

export interface StepVerdict extends StepMeasurement {
  readonly outcome: StepOutcome;
  readonly stable: boolean;
  /** Why the step diverged or was generator-limited (empty when stable). */
  readonly reasons: readonly string[];
}

export function resolveThroughputSearchOptions(
  input: Partial<ThroughputSearchOptions> = {},
): ThroughputSearchOptions {
  const o = { ...THROUGHPUT_SEARCH_DEFAULTS, ...input };
  const positive = (
    key: 'startRate' | 'maxRate' | 'ackP99LimitMs' | 'consumeP99LimitMs' | 'lagLimitSec',
  ): void => {
    if (!Number.isFinite(o[key]) || o[key] <= 0)
      throw new InvalidOptionError(key, 'must be a positive number', o[key]);
  };
  for (const key of ['startRate', 'maxRate', 'ackP99LimitMs', 'consumeP99LimitMs', 'lagLimitSec'] as const)
    positive(key);
  if (!Number.isFinite(o.stepFactor) || o.stepFactor <= 1 || o.stepFactor > 10) {
    throw new InvalidOptionError('stepFactor', 'must be > 1 and at most 10', o.stepFactor);
  }
  if (!(o.minSentFraction > 0 && o.minSentFraction <= 1)) {
    throw new InvalidOptionError('minSentFraction', 'must be in (0, 1]', o.minSentFraction);
  }
  if (typeof o.confirmDivergence !== 'boolean') {
    throw new InvalidOptionError('confirmDivergence', 'must be a boolean', o.confirmDivergence);
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
  #retrying = false;
  #confirmed = false;

  constructor(options: Partial<ThroughputSearchOptions> = {}) {
    this.options = resolveThroughputSearchOptions(options);
  }

  /** The rate of the next step, or undefined when the search is over. */
  nextRate(): number | undefined {
    if (this.#done) return undefined;
    const last = this.#steps.at(-1);
    if (last === undefined) return Math.round(this.options.startRate);
    if (this.#retrying) return last.rate;
    return Math.round(Math.min(this.options.maxRate, last.rate * this.options.stepFactor));
  }

  /** The rule `judge` applies, in words (printed with the results). */
  criterion(): string {
    const o = this.options;
    return (
      `rate ×${o.stepFactor} per step from ${o.startRate}/s until latency or lag diverges: ` +
      `produce-ack p99 > ${o.ackP99LimitMs} ms, Kafka → processor p99 > ${o.consumeP99LimitMs} ms, ` +
      `or processor input lag > ${o.lagLimitSec} s of input at the end of the step; ` +
      `fewer than ${o.minSentFraction * 100}% of the planned events sent = load-generator limit (not a divergence)` +
      (o.confirmDivergence ? '; a diverged step is repeated once and must diverge again' : '')
    );
  }

  /** Divergence first (latency, lag); a step that did not diverge but sent too little is generator-limited. */
  judge(step: StepMeasurement): StepVerdict {
    const o = this.options;
    const reasons: string[] = [];
    if (step.ackP99Ms > o.ackP99LimitMs)
      reasons.push(`produce-ack p99 ${step.ackP99Ms} ms > ${o.ackP99LimitMs} ms`);
    if (step.consumeP99Ms !== null && step.consumeP99Ms > o.consumeP99LimitMs)
      reasons.push(`Kafka → processor p99 ${step.consumeP99Ms} ms > ${o.consumeP99LimitMs} ms`);
    if (step.lag > step.rate * o.lagLimitSec) {
      reasons.push(
        `input lag ${step.lag} > ${o.lagLimitSec} s of input (${Math.round(step.rate * o.lagLimitSec)})`,
      );
    }
    if (reasons.length > 0) return { ...step, outcome: STEP_OUTCOMES.DIVERGED, stable: false, reasons };
    if (step.sent < step.planned * o.minSentFraction) {
      return {
        ...step,
        outcome: STEP_OUTCOMES.GENERATOR_LIMITED,
        stable: false,
        reasons: [`the load generator sent ${step.sent} of ${step.planned} planned events`],
      };
    }
    return { ...step, outcome: STEP_OUTCOMES.STABLE, stable: true, reasons };
  }

  /**
   * Records a step. The search ends at a diverged step (confirmed by a repeat at the same rate when
   * `confirmDivergence`), at a generator-limited step, or after the step at maxRate.
   */
  record(step: StepMeasurement): StepVerdict {
    const verdict = this.judge(step);
    this.#steps.push(verdict);
    const wasRetry = this.#retrying;
    this.#retrying = false;
    if (verdict.outcome === STEP_OUTCOMES.DIVERGED && this.options.confirmDivergence && !wasRetry) {
      this.#retrying = true;
    } else if (verdict.outcome === STEP_OUTCOMES.DIVERGED) {
      this.#confirmed = true;
      this.#done = true;
    } else if (!verdict.stable || step.rate >= this.options.maxRate) {
      this.#done = true;
    }
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

  /** Why the search ended: the first unstable step's outcome, or `budget` / `max-rate` when none was. */
  get stopReason(): string {
    const end = this.#done ? this.#steps.at(-1) : undefined;
    if (end !== undefined && !end.stable) {
      let how = '';
      if (end.outcome === STEP_OUTCOMES.DIVERGED && this.options.confirmDivergence) {
        how = this.#confirmed ? ' (twice)' : ' (once; the time budget ended before the repeat)';
      }
      return `${end.outcome}${how} at ${end.rate}/s: ${end.reasons.join('; ')}`;
    }
    const last = this.#steps.at(-1);
    if (last !== undefined && last.rate >= this.options.maxRate)
      return `reached maxRate ${this.options.maxRate}/s`;
    return 'time budget spent before any step diverged: the last stable rate is a lower bound';
  }

  /** The last stable step, or undefined when even the first step diverged. */
  get lastStable(): StepVerdict | undefined {
    return this.#steps.filter((s) => s.stable).at(-1);
  }

  /** The step that ended the search by diverging, or undefined. */
  get diverged(): StepVerdict | undefined {
    const last = this.#steps.at(-1);
    return this.#done && last?.outcome === STEP_OUTCOMES.DIVERGED ? last : undefined;
  }
}

/** Events per second per core of the processor: achieved rate / cores busy; null when CPU was not measured. */
export function eventsPerCore(
  step: Pick<StepMeasurement, 'achievedPerSec' | 'processorCores'>,
): number | null {
  if (step.processorCores === null || step.processorCores <= 0) return null;
  return step.achievedPerSec / step.processorCores;
}
