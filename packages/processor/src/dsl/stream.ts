import type { Aggregator } from '../aggregate/aggregator.js';
import { checkOption, fn, positiveInt, topicName } from '../config/option-schemas.js';
import type { EncodedEvent } from '../engine/accepted-events.js';
import { outputName } from '../engine/options.js';
import type { ResultEncoder, ResultFilter } from '../engine/window-result.js';
import { invalidOption } from '../errors.js';
import type { WindowSpec } from '../windows/window-spec.js';
import { signedDurationMs, type Duration } from './duration.js';
import {
  perSideDurationMs,
  type JoinLogicalPlan,
  type JoinSideDraft,
  type JoinSpec,
  type PerSide,
} from './join-plan.js';
import { JoinedStream } from './joined-stream.js';
import type { InputRecord } from '../task/partition-task.js';
import type {
  AcceptedSettings,
  DedupSettings,
  EmitMode,
  KeySelector,
  LogicalPlan,
  SinkOptions,
  UpdateSettings,
  WindowSettings,
} from './logical-plan.js';
import type { Step } from './pipeline.js';
import { StreamPlan } from './stream-plan.js';
import type { TableRef } from './table.js';

/** The logical plan as far as it is written (the builders add to a copy: a stream can be branched). */
type Draft = Pick<LogicalPlan, 'settings' | 'source' | 'steps' | 'dedup'>;

/**
 * A stream of elements `E`, before it is keyed: per-event steps. Each method returns a new stream; steps run in
 * the order written, on every input partition, before the event-time contract (so a filtered element is as if it
 * were not in the topic).
 */
export class Stream<E> {
  readonly #draft: Draft;

  /** @internal Built by `streamJob(…).source(…)`. */
  constructor(draft: Draft) {
    this.#draft = draft;
  }

  /** Keeps the elements `predicate` accepts (a type guard narrows the element type). */
  filter<S extends E>(predicate: (event: E) => event is S): Stream<S>;
  filter(predicate: (event: E) => boolean): Stream<E>;
  filter(predicate: (event: E) => boolean): Stream<E> {
    return this.#with({ kind: 'filter', predicate });
  }

  /** Replaces each element by `fn(element)`; its event time and dedup id stay the ones already decided. */
  map<O>(fn: (event: E) => O): Stream<O> {
    return this.#with({ kind: 'map', fn });
  }

  /**
   * Joins each element with the row of `table` under `keyOf(element)` (a left join: `row` is undefined for an
   * absent key). The job loads the table from its compacted topic before the first record and keeps it current.
   */
  enrich<V, O>(
    table: TableRef<V>,
    keyOf: (event: E) => string,
    join: (event: E, row: V | undefined) => O,
  ): Stream<O> {
    return this.#with({ kind: 'enrich', table, keyOf, join });
  }

  /**
   * Drops duplicates: an element whose id was accepted in the same input partition within `ttl` of event time (an
   * empty id is never a duplicate). Decided with the event-time contract, after every filter and map: its place in
   * the chain only chooses the element the id is read from.
   */
  dedupBy(idOf: (event: E) => string, settings: DedupSettings = {}): Stream<E> {
    if (this.#draft.dedup !== undefined) throw invalidOption('dedupBy', 'may appear once per job');
    return new Stream<E>({
      ...this.#draft,
      steps: [...this.#draft.steps, { kind: 'dedup', idOf }],
      dedup: settings,
    });
  }

  /**
   * Keys the stream for a windowed aggregation. `inputPartitioned: true` says the input topic is already
   * partitioned by this key (it is the Kafka key): the job then runs in one stage, without a repartition topic.
   */
  keyBy(selector: KeySelector<E>, options: { inputPartitioned?: boolean } = {}): KeyedStream<E> {
    return new KeyedStream<E>({
      ...this.#draft,
      key: { selector, inputPartitioned: options.inputPartitioned ?? false },
    });
  }

  /**
   * An interval join with `other`, another source of the same `streamJob(…)`: every pair of a left element (this
   * stream) and a right one with the same key and `right.ts − left.ts ∈ spec.between` gives `joiner(left, right,
   * key)` (an inner join: an element without a match gives nothing). Each side applies its own filter, map and
   * dedupBy steps and the event-time contract of its own partitions (late events and dead letters to the job's side
   * outputs); a buffered element is dropped once the other side's watermark shows no match can still come. Runs as
   * the engine's interval-join stages (`intervalJoinStages`). `enrich` before a join is refused.
   */
  join<R, O>(
    other: Stream<R>,
    spec: JoinSpec<E, R>,
    joiner: (left: E, right: R, key: string) => O,
  ): JoinedStream<O> {
    if (!(other instanceof Stream))
      throw invalidOption('join.other', 'must be a Stream (a source and its per-event steps, before keyBy)');
    const left = this.#draft;
    const right = other.#draft;
    if (right.settings !== left.settings)
      throw invalidOption(
        'join.other',
        'must be a stream of the same streamJob(…) (another source of its builder)',
      );
    if (right.source.topic === left.source.topic)
      throw invalidOption(
        'join.other',
        `reads ${right.source.topic}, the topic of the left side: join two different topics`,
      );
    rejectEnrich('join (left side)', left);
    rejectEnrich('join (right side)', right);
    if (typeof spec !== 'object' || spec === null) throw invalidOption('join.spec', 'must be an object');
    checkKeySelector('join.leftKey', spec.leftKey);
    checkKeySelector('join.rightKey', spec.rightKey);
    checkOption('join.joiner', fn(), joiner);
    if (typeof spec.between !== 'object' || spec.between === null)
      throw invalidOption('join.between', "must be { lower, upper } (e.g. { lower: 0, upper: '30m' })");
    const lowerMs = signedDurationMs('join.between.lower', spec.between.lower);
    const upperMs = signedDurationMs('join.between.upper', spec.between.upper);
    if (lowerMs > upperMs)
      throw invalidOption(
        'join.between.upper',
        `must be at least join.between.lower (${lowerMs} ms > ${upperMs} ms: no pair could ever join)`,
      );
    const side = (d: Draft): JoinSideDraft => ({ source: d.source, steps: d.steps, dedup: d.dedup });
    return new JoinedStream<O>({
      kind: 'join',
      settings: left.settings,
      left: side(left),
      right: side(right),
      leftKey: spec.leftKey,
      rightKey: spec.rightKey,
      lowerMs,
      upperMs,
      eventTime: joinEventTime(spec.outOfOrderness, spec.allowedLateness),
      maxBufferedRecords:
        spec.maxBufferedRecords === undefined
          ? undefined
          : checkOption('join.maxBufferedRecords', positiveInt, spec.maxBufferedRecords),
      joiner: joiner as (left: unknown, right: unknown, key: string) => unknown,
    });
  }

  #with<O>(step: Step): Stream<O> {
    return new Stream<O>({ ...this.#draft, steps: [...this.#draft.steps, step] });
  }
}

/** Each side's out-of-orderness and allowed lateness, as written once for both or per side. */
function joinEventTime(
  outOfOrderness: PerSide<Duration> | undefined,
  allowedLateness: PerSide<Duration> | undefined,
): JoinLogicalPlan['eventTime'] {
  const b = perSideDurationMs('join.outOfOrderness', outOfOrderness);
  const l = perSideDurationMs('join.allowedLateness', allowedLateness);
  return {
    left: { outOfOrdernessMs: b.left, allowedLatenessMs: l.left },
    right: { outOfOrdernessMs: b.right, allowedLatenessMs: l.right },
  };
}

/** A join's side may not enrich: the join task decodes its buffered events again, without the job's tables. */
function rejectEnrich(where: string, draft: Draft): void {
  if (draft.steps.some((s) => s.kind === 'enrich'))
    throw invalidOption(
      where,
      `cannot run the enrich step of ${draft.source.topic}: the join decodes buffered events again without the ` +
        `job's tables (filter, map and dedupBy are fine) — enrich the joined results downstream instead`,
    );
}

function checkKeySelector(option: string, selector: unknown): void {
  if (typeof selector !== 'function' && typeof selector !== 'string')
    throw invalidOption(option, 'must be a field name or a function returning the key');
}

type KeyedDraft = Draft & Pick<LogicalPlan, 'key'>;

/** A keyed stream: choose its windows. */
export class KeyedStream<E> {
  readonly #draft: KeyedDraft;

  /** @internal */
  constructor(draft: KeyedDraft) {
    this.#draft = draft;
  }

  /** Windows per key (`tumbling`, `hopping`, `session`) with their event-time settings. */
  window(window: WindowSpec, settings: WindowSettings = {}): WindowedStream<E> {
    return new WindowedStream<E>({ ...this.#draft, window, windowSettings: settings, accepted: undefined });
  }
}

type WindowedDraft = KeyedDraft & Pick<LogicalPlan, 'window' | 'windowSettings' | 'accepted'>;

/** A windowed stream: choose its aggregate. */
export class WindowedStream<E> {
  readonly #draft: WindowedDraft;

  /** @internal */
  constructor(draft: WindowedDraft) {
    this.#draft = draft;
  }

  /**
   * Also writes every ACCEPTED element — valid, on time, not a duplicate: exactly those the windows count — to
   * `topic`, encoded by `encode(element, inputRecord)`, in the same transaction as the aggregation's state (keyed by
   * the encoded key). The tables `encode` reads are named in `settings.tables` so the job loads them. Two-stage jobs
   * (stage 1 writes them); once per pipeline.
   */
  acceptedTo(
    topic: string,
    encode: (event: E, record: InputRecord) => EncodedEvent,
    settings: AcceptedSettings = {},
  ): WindowedStream<E> {
    if (this.#draft.accepted !== undefined) throw invalidOption('acceptedTo', 'may appear once per pipeline');
    checkOption('acceptedTo.topic', topicName, topic);
    checkOption('acceptedTo.encode', fn(), encode);
    const output = checkOption('acceptedTo.output', outputName, settings.output ?? 'accepted');
    const tables = [...(settings.tables ?? [])];
    return new WindowedStream<E>({ ...this.#draft, accepted: { topic, output, encode, tables } });
  }

  /**
   * Aggregates each (key, window): a built-in (`count()`, `sum(e => …)`, `min`, `max`, `avg`) or any
   * `Aggregator<E, A, R>` (`create`, `add`, `merge`, `result`, `serialize`, `deserialize`).
   */
  aggregate<A, R>(aggregator: Aggregator<E, A, R> & { add: (acc: A, event: E) => A }): AggregatedStream<R> {
    return new AggregatedStream<R>({
      ...this.#draft,
      aggregator,
      emit: { mode: 'final', every: undefined },
      resultFilter: undefined,
    });
  }
}

type AggregatedDraft = WindowedDraft & Pick<LogicalPlan, 'aggregator' | 'emit' | 'resultFilter'>;

/** Window results `R` per key: choose when they are emitted and where they go. */
export class AggregatedStream<R> {
  readonly #draft: AggregatedDraft;

  /** @internal */
  constructor(draft: AggregatedDraft) {
    this.#draft = draft;
  }

  /**
   * Writes only the results `predicate` accepts (e.g. `r => r.result > 5` for alerts); several filters must all
   * accept. It sees each emission — with `'updates'`, every version — and a rejected one is simply not written:
   * the window's state and version move on, and an earlier version that was written stays written.
   */
  filter(predicate: ResultFilter<R>): AggregatedStream<R> {
    checkOption('filter', fn(), predicate);
    const before = this.#draft.resultFilter;
    const resultFilter: ResultFilter<R> =
      before === undefined ? predicate : (result) => before(result) && predicate(result);
    return new AggregatedStream<R>({ ...this.#draft, resultFilter });
  }

  /**
   * `'final'` (the default): each window once, when it closes (watermark ≥ end + allowedLateness), `isFinal: true`
   * (a later result is only a correction after an idle partition's wall-clock advance). `'updates'`: a result when
   * the watermark passes the window's end, again (version + 1) for late events until it closes, final at close; with
   * `every`, also early updates of open windows every `every` of processing time (single-stage jobs).
   */
  emit(mode: 'final'): AggregatedStream<R>;
  emit(mode: 'updates', settings?: UpdateSettings): AggregatedStream<R>;
  emit(mode: EmitMode, settings: UpdateSettings = {}): AggregatedStream<R> {
    if (mode !== 'final' && mode !== 'updates')
      throw invalidOption('emit', `must be 'final' or 'updates' (got ${JSON.stringify(mode)})`);
    const every: Duration | undefined = mode === 'updates' ? settings.every : undefined;
    return new AggregatedStream<R>({ ...this.#draft, emit: { mode, every } });
  }

  /**
   * Writes the results to `topic`, encoded by `encode` (default: JSON of the `WindowedResult`, key = the
   * aggregation key). Late events and dead letters go to `${applicationId}-late` and `${applicationId}-dlq` unless
   * `options` says otherwise.
   */
  to(topic: string, encode?: ResultEncoder<R>, options: SinkOptions = {}): StreamPlan {
    return new StreamPlan({ ...this.#draft, sink: { topic, encode, ...options } });
  }
}
