import type { LatencyHistogram } from '@tributary/producer';
import { summarize } from '../histograms/percentiles.js';
import { LATENCY_DEFINITIONS } from '../report/method.js';
import {
  COMPONENTS,
  RATIO_UNITS,
  type Component,
  type ComponentRow,
  type Correctness,
  type Figure,
  type RunResult,
} from '../report/results.js';
import { JVM_PEER_SPECS, type JvmPeer } from './peer-jars.js';
import { NO_EVENTS, figuresRun } from './scenario-run.js';
import { peerRatio } from './peers-scenario.js';

/** Who runs the clickstream job in `peers-latency`: ours, or one of the JVM peers. */
export type LatencyContender = 'tributary' | JvmPeer;

/** What one contender's part of a run measured. */
export interface ContenderOutcome {
  readonly contender: LatencyContender;
  readonly version: string | null;
  /** Spawn → ready, ms. */
  readonly startupMs: number | null;
  /** Window close (end + B) → final result readable by a read_committed consumer, steady-state windows. */
  readonly latency: LatencyHistogram;
  /** Mean CPU over the measured window, % of one core. */
  readonly cpuPercent: number | null;
  /** Peak RSS over the measured window, MB. */
  readonly rssMB: number | null;
  /** The results topic against the ground truth, windows that must close while events flow. */
  readonly correctness: Correctness;
}

/** The row of a contender: ours is the table's Processor row. */
export function contenderComponent(contender: LatencyContender): Component {
  return contender === 'tributary' ? COMPONENTS.PROCESSOR : JVM_PEER_SPECS[contender].component;
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
    throughputPerSec: null,
    latencyMs: s === null ? null : { p50: s.p50, p99: s.p99, p99_9: s.p99_9, max: s.max },
    latencyDefinition: LATENCY_DEFINITIONS[component],
    cpuPercent: o.cpuPercent,
    rssMB: o.rssMB,
    eventLoopDelayP99Ms: null,
  };
}

/** The settings a note repeats so that a figure can be read on its own. */
export interface PeersLatencySettings {
  readonly commitIntervalMs: number;
  readonly checkpointIntervalMs: number;
}

function settingsNote(peer: JvmPeer, s: PeersLatencySettings): string {
  return peer === 'kafka-streams'
    ? `exactly_once_v2, commit.interval.ms ${s.commitIntervalMs} (ours commits every ${s.commitIntervalMs} ms too)`
    : `KafkaSink EXACTLY_ONCE, checkpoint every ${s.checkpointIntervalMs} ms (ours commits every ${s.commitIntervalMs} ms)`;
}

/** Peers that did not run, and why (their ratios are null, with the reason as the note). */
export interface PeersSkipped {
  readonly peers: readonly JvmPeer[];
  readonly note: string;
}

/**
 * Per JVM peer: ours / peer for p50, p99 and CPU (below 1: ours is faster or cheaper), and the peer's lost and
 * duplicated events. A ratio is null when either side did not measure it.
 */
export function peersLatencyFigures(
  outcomes: readonly ContenderOutcome[],
  settings: PeersLatencySettings,
  skipped?: PeersSkipped,
): Figure[] {
  const ours = outcomes.find((o) => o.contender === 'tributary');
  const oursRow = ours === undefined ? undefined : row(ours);
  const figures: Figure[] = [];
  for (const o of outcomes) {
    if (o.contender === 'tributary') continue;
    const peer = o.contender;
    const peerRow = row(o);
    const note = settingsNote(peer, settings);
    const ratio = (
      name: string,
      pick: (r: ComponentRow) => number | null | undefined,
      what: string,
    ): Figure => ({
      name: `peers-latency.${peer}.${name}.ratio`,
      unit: RATIO_UNITS.LOWER_IS_BETTER,
      value: peerRatio(oursRow === undefined ? null : (pick(oursRow) ?? null), pick(peerRow) ?? null),
      note: `tributary / ${peer}, ${what}; ${note}`,
    });
    figures.push(
      ratio('p50', (r) => r.latencyMs?.p50, 'window close → committed result p50'),
      ratio('p99', (r) => r.latencyMs?.p99, 'window close → committed result p99'),
      ratio('cpu', (r) => r.cpuPercent, 'mean CPU of the process over the measured window'),
      { name: `peers-latency.${peer}.lost`, unit: 'events', value: o.correctness.lost },
      { name: `peers-latency.${peer}.duplicated`, unit: 'events', value: o.correctness.duplicated },
    );
  }
  for (const peer of skipped?.peers ?? []) {
    for (const name of ['p50', 'p99', 'cpu']) {
      figures.push({
        name: `peers-latency.${peer}.${name}.ratio`,
        unit: RATIO_UNITS.LOWER_IS_BETTER,
        value: null,
        note: skipped!.note,
      });
    }
  }
  return figures;
}

/**
 * A run of `peers-latency`: one row per contender (ours as Processor, then Kafka Streams, Flink), the ratio
 * figures, each contender's latency histogram, and our correctness line (the peers' lost and duplicated events
 * are figures).
 */
export function peersLatencyRun(
  run: number,
  startedAt: string,
  outcomes: readonly ContenderOutcome[],
  settings: PeersLatencySettings,
  skipped?: PeersSkipped,
): RunResult {
  const byTable = [...outcomes].sort(
    (a, b) => order(contenderComponent(a.contender)) - order(contenderComponent(b.contender)),
  );
  const result = figuresRun(run, startedAt, peersLatencyFigures(byTable, settings, skipped), {
    components: byTable.map(row),
    correctness: outcomes.find((o) => o.contender === 'tributary')?.correctness ?? NO_EVENTS,
  });
  return {
    ...result,
    histograms: Object.fromEntries(
      byTable.map((o) => [`result-in-kafka-${o.contender}`, o.latency.encode()] as const),
    ),
  };
}

const TABLE_ORDER: readonly Component[] = [COMPONENTS.PROCESSOR, COMPONENTS.KAFKA_STREAMS, COMPONENTS.FLINK];
function order(component: Component): number {
  return TABLE_ORDER.indexOf(component);
}
