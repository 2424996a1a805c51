import type { Aggregator } from '../aggregate/aggregator.js';
import type { StreamJobOptions } from '../config/stream-job-options.js';
import type { EncodedEvent } from '../engine/accepted-events.js';
import type { Decoder } from '../engine/decoder.js';
import type { ResultEncoder, ResultFilter } from '../engine/window-result.js';
import type { InputRecord } from '../task/partition-task.js';
import type { IdleAdvanceMode } from '../time/watermarks.js';
import type { WindowSpec } from '../windows/window-spec.js';
import type { Duration } from './duration.js';
import type { Step } from './pipeline.js';
import type { TableRef } from './table.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the logical plan holds the steps untyped */

/** The runtime options a DSL job passes through as they are; the planner sets the rest. */
export type StreamJobSettings = Omit<
  StreamJobOptions,
  'input' | 'taskFactory' | 'outputs' | 'merge' | 'tables'
>;

/** The string-valued fields of `E`: what `keyBy('field')` and `partitionedBy: 'field'` accept. */
export type StringField<E> = {
  [K in keyof E]-?: E[K] extends string ? K : never;
}[keyof E] &
  string;

/** A key: a string field of the element, or a function returning a string. */
export type KeySelector<E> = StringField<E> | ((event: E) => string);

/** How a source's records become elements: decoded and validated, with their event time. */
export interface EventCodec<E> {
  readonly decode: Decoder<E>;
  /** Event time of an element, ms since epoch. */
  readonly eventTime: (event: E) => number;
}

export interface SourceOptions<E> {
  /**
   * The key the input topic is partitioned by (its Kafka key, with the default partitioner). A `keyBy` of the same
   * field name, or the same function object, with no `map`/`enrich` in between, lets the planner run one stage.
   */
  partitionedBy?: KeySelector<E>;
}

/** The event-time settings of a window; any left out takes the engine's default (`EVENT_TIME_DEFAULTS`). */
export interface WindowSettings {
  /** Bounded out-of-orderness B: watermark = max event time − B. @defaultValue '5s' */
  outOfOrderness?: Duration;
  /** Allowed lateness L: events count while `windowEnd + L > watermark`. @defaultValue 0 */
  allowedLateness?: Duration;
  /** Processing time without data before a partition is idle. @defaultValue '30s' */
  idleness?: Duration;
  /** How the emission watermark follows the wall clock while idle. @defaultValue 'wall-clock' */
  idleAdvance?: IdleAdvanceMode;
  /** Let the emission watermark follow the wall clock while idle. @defaultValue true */
  wallClockAdvance?: boolean;
  /** Distinct keys per window per input partition (tumbling and hopping). @defaultValue 100000 */
  maxKeysPerWindow?: number;
  /** Open sessions per input partition (session windows). @defaultValue 100000 */
  maxOpenSessions?: number;
  /** Two-stage jobs: how long the merge keeps a closed window for partials of idle upstreams. @defaultValue '10m' */
  closedWindowRetention?: Duration;
  /**
   * Two-stage jobs: stage 1 re-sends an unchanged watermark to the merge this often while its partition is active
   * (capped at half of `idleness`). @defaultValue '1s'
   */
  watermarkHeartbeat?: Duration;
}

export interface DedupSettings {
  /** Event-time TTL of remembered ids. @defaultValue '10m' */
  ttl?: Duration;
  /** Ids remembered per input partition. @defaultValue 2000000 */
  maxEntries?: number;
}

/** When window results are written. */
export const EMIT_MODES = ['final', 'updates'] as const;
export type EmitMode = (typeof EMIT_MODES)[number];

export interface UpdateSettings {
  /** Early updates of open windows every this much processing time (single-stage jobs). @defaultValue none */
  every?: Duration;
}

/** Where results and side outputs go. A `null` side output is discarded (counted, never written). */
export interface SinkOptions {
  /** Late events. @defaultValue `${applicationId}-late` */
  late?: string | null;
  /** Invalid records and records refused at a state cap. @defaultValue `${applicationId}-dlq` */
  deadLetter?: string | null;
  /** Two-stage jobs: partials beyond the merge's retention. @defaultValue `${applicationId}-late-partials` */
  latePartials?: string | null;
  /** Two-stage jobs: the topic between the stages (partials by key). @defaultValue `${applicationId}-repartition` */
  repartition?: string;
  /**
   * More logical outputs of the job (name → topic, `null`: discarded) that the pipeline itself does not write: e.g.
   * the refusals of a sink in the `outputSinks` setting. A name the planner uses fails.
   */
  extraOutputs?: Readonly<Record<string, string | null>>;
}

/** Where every accepted element also goes (see `WindowedStream.acceptedTo`). */
export interface AcceptedSettings {
  /** Logical output name (metrics, `outputs`). @defaultValue 'accepted' */
  output?: string;
  /** Tables `encode` reads (looked up through their `table`): the job loads them like those of `enrich`. */
  tables?: readonly TableRef<any>[];
}

/** An accepted-events output as planned: topic, output name, encoder and the tables it reads. */
export interface AcceptedOutput {
  readonly topic: string;
  readonly output: string;
  readonly encode: (event: any, record: InputRecord) => EncodedEvent;
  readonly tables: readonly TableRef<any>[];
}

/** What the user wrote, as data: the planner turns it into stages. */
export interface LogicalPlan {
  readonly settings: StreamJobSettings;
  readonly source: {
    readonly topic: string;
    readonly codec: EventCodec<any>;
    readonly partitionedBy: KeySelector<any> | undefined;
  };
  readonly steps: readonly Step[];
  readonly dedup: DedupSettings | undefined;
  readonly key: {
    readonly selector: KeySelector<any>;
    readonly inputPartitioned: boolean;
  };
  readonly window: WindowSpec;
  readonly windowSettings: WindowSettings;
  /** Every accepted element also written to a topic (two-stage jobs), or none. */
  readonly accepted: AcceptedOutput | undefined;
  readonly aggregator: Aggregator<any, any, any>;
  readonly emit: { readonly mode: EmitMode; readonly every: Duration | undefined };
  /** `.aggregate(…).filter(…)`: which results are written (every filter must accept). */
  readonly resultFilter: ResultFilter<any> | undefined;
  readonly sink: { readonly topic: string; readonly encode: ResultEncoder<any> | undefined } & SinkOptions;
}
