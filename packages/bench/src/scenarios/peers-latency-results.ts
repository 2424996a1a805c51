import type { LatencyHistogram } from '@tributary/producer';
import { summarize } from '../histograms/percentiles.js';
import { LATENCY_DEFINITIONS } from '../report/method.js';
import {
  COMPONENT_VALUES,
  RATIO_UNITS,
  type ComponentRow,
  type Correctness,
  type Figure,
  type RunResult,
} from '../report/results.js';
import {
  contenderComponent,
  contenderSettingsNote,
  LATENCY_CONTENDERS,
  latencyContenders,
  type LatencyContender,
} from './latency-contenders.js';
import type { JvmPeer } from './peer-jars.js';
import { NO_EVENTS, figuresRun } from './scenario-run.js';
import { peerRatio } from './peers-scenario.js';
import { eventsPerCore } from './throughput-search.js';

/** What one contender's part of a run measured. */
export interface ContenderOutcome {
  readonly contender: LatencyContender;
  readonly version: string | null;
  /** Spawn → ready, ms. */
  readonly startupMs: number | null;
  /** Window close (end + B) → final result readable by a read_committed consumer, steady-state windows. */
  readonly latency: LatencyHistogram;
  /** Input records the contender committed per second over the measured window (its group's offsets). */
  readonly throughputPerSec: number | null;
  /** Mean CPU over the measured window, % of one core. */
  readonly cpuPercent: number | null;
  /** Peak RSS over the measured window, MB. */
  readonly rssMB: number | null;
  /** The results topic against the ground truth, windows that must close while events flow. */
  readonly correctness: Correctness;
}

/** The contenders in the order of run `run` (1-based): rotated by one per run, so none always goes first. */
export function contenderOrder<T>(contenders: readonly T[], run: number): T[] {
  if (contenders.length === 0) return [];
  const shift = (((run - 1) % contenders.length) + contenders.length) % contenders.length;
  return [...contenders.slice(shift), ...contenders.slice(0, shift)];
}

function row(o: ContenderOutcome): ComponentRow {
  const component = contenderComponent(o.contender);
  const s = o.latency.totalCount === 0 ? null : summarize(o.latency);
  return {
    component,
    version: o.version,
    startupMs: o.startupMs,
    throughputPerSec: o.throughputPerSec,
    latencyMs: s === null ? null : { p50: s.p50, p99: s.p99, p99_9: s.p99_9, max: s.max },
    latencyDefinition: LATENCY_DEFINITIONS[component],
    cpuPercent: o.cpuPercent,
    rssMB: o.rssMB,
    eventLoopDelayP99Ms: null,
    throughputPerCore:
      o.throughputPerSec === null || o.cpuPercent === null
        ? null
        : eventsPerCore({ achievedPerSec: o.throughputPerSec, processorCores: o.cpuPercent / 100 }),
    correctness: o.correctness,
  };
}

/** The settings a note repeats so that a figure can be read on its own. */
export interface PeersLatencySettings {
  readonly processorCommitIntervalMs: number;
  readonly kafkaStreamsCommitIntervalMs: number;
  readonly flinkCheckpointIntervalMs: number;
}

/** Peers that did not run, and why (their ratios are null, with the reason as the note). */
export interface PeersSkipped {
  readonly peers: readonly JvmPeer[];
  readonly note: string;
}

/**
 * Per JVM contender: ours / peer for p50, p99 and CPU (below 1: ours is faster or cheaper) and for throughput per
 * core (above 1: ours does more with a core), and the contender's lost and duplicated events. A ratio is null when
 * either side did not measure it.
 */
export function peersLatencyFigures(
  outcomes: readonly ContenderOutcome[],
  settings: PeersLatencySettings,
  skipped?: PeersSkipped,
): Figure[] {
  const ours = outcomes.find((o) => o.contender === LATENCY_CONTENDERS.TRIBUTARY);
  const oursRow = ours === undefined ? undefined : row(ours);
  const figures: Figure[] = [];
  for (const o of outcomes) {
    if (o.contender === LATENCY_CONTENDERS.TRIBUTARY) continue;
    const name = o.contender;
    const peerRow = row(o);
    const note = contenderSettingsNote(name, settings);
    const ratio = (
      figure: string,
      pick: (r: ComponentRow) => number | null | undefined,
      what: string,
      unit: string = RATIO_UNITS.LOWER_IS_BETTER,
    ): Figure => ({
      name: `peers-latency.${name}.${figure}.ratio`,
      unit,
      value: peerRatio(oursRow === undefined ? null : (pick(oursRow) ?? null), pick(peerRow) ?? null),
      note: `tributary / ${name}, ${what}; ${note}`,
    });
    figures.push(
      ratio('p50', (r) => r.latencyMs?.p50, 'window close → committed result p50'),
      ratio('p99', (r) => r.latencyMs?.p99, 'window close → committed result p99'),
      ratio('cpu', (r) => r.cpuPercent, 'mean CPU of the process over the measured window'),
      ratio(
        'per-core',
        (r) => r.throughputPerCore,
        'input records committed per second per core busy',
        RATIO_UNITS.HIGHER_IS_BETTER,
      ),
      { name: `peers-latency.${name}.lost`, unit: 'events', value: o.correctness.lost },
      { name: `peers-latency.${name}.duplicated`, unit: 'events', value: o.correctness.duplicated },
    );
  }
  const skippedContenders = latencyContenders(skipped?.peers ?? []).filter(
    (c) => c !== LATENCY_CONTENDERS.TRIBUTARY,
  );
  for (const contender of skippedContenders) {
    for (const [figure, unit] of [
      ['p50', RATIO_UNITS.LOWER_IS_BETTER],
      ['p99', RATIO_UNITS.LOWER_IS_BETTER],
      ['cpu', RATIO_UNITS.LOWER_IS_BETTER],
      ['per-core', RATIO_UNITS.HIGHER_IS_BETTER],
    ] as const) {
      figures.push({
        name: `peers-latency.${contender}.${figure}.ratio`,
        unit,
        value: null,
        note: skipped!.note,
      });
    }
  }
  return figures;
}

/**
 * A run of `peers-latency`: one row per contender in table order (ours as Processor, Kafka Streams, Flink with the
 * seed's checkpoints, Flink tuned), each with its own correctness line against the ground truth, the ratio
 * figures, and each contender's latency histogram. The run's correctness line is ours.
 */
export function peersLatencyRun(
  run: number,
  startedAt: string,
  outcomes: readonly ContenderOutcome[],
  settings: PeersLatencySettings,
  skipped?: PeersSkipped,
): RunResult {
  const order = (o: ContenderOutcome): number => COMPONENT_VALUES.indexOf(contenderComponent(o.contender));
  const byTable = [...outcomes].sort((a, b) => order(a) - order(b));
  const result = figuresRun(run, startedAt, peersLatencyFigures(byTable, settings, skipped), {
    components: byTable.map(row),
    correctness: outcomes.find((o) => o.contender === LATENCY_CONTENDERS.TRIBUTARY)?.correctness ?? NO_EVENTS,
  });
  return {
    ...result,
    histograms: Object.fromEntries(
      byTable.map((o) => [`result-in-kafka-${o.contender}`, o.latency.encode()] as const),
    ),
  };
}
