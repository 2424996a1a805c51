import * as processor from '@tributary/processor';
import type { ChangelogEntry, InputRecord, PartialRecord, RepartitionRecord } from '@tributary/processor';
import { BASELINE, count } from './common-options.js';
import { importBaseline } from './baseline.js';
import { interleavedMedians } from './cpu-rounds.js';
import { markdownTable, times } from './output.js';
import { defineSuite } from './suite.js';

type Processor = typeof processor;

const UPSTREAMS = 4;
const PAGES = 1000;
const PARTIALS_PER_WINDOW = 20_000;
const WINDOW_MS = 60_000;
/** Records between two drains of outputs and changelog (a commit). */
const COMMIT_EVERY = 1000;

/** Clickstream-like partials: 1000 pages, 4 upstream partitions, 16-byte accumulators (clicks, views). */
export function partialsWorkload(n: number): PartialRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const accumulator = Buffer.alloc(16);
    accumulator.writeDoubleBE(i % 97, 0);
    accumulator.writeDoubleBE(i % 13, 8);
    const windowStart = Math.floor(i / PARTIALS_PER_WINDOW) * WINDOW_MS;
    return {
      type: 'partial',
      upstreamPartition: i % UPSTREAMS,
      key: `/page/${i % PAGES}`,
      windowStart,
      windowEnd: windowStart + WINDOW_MS,
      accumulator,
    };
  });
}

/** Format 1 (JSON + base64), as the previous version wrote it and the decoder still reads it. */
export function encodeFormat1(r: PartialRecord): Buffer {
  const { type, upstreamPartition, key, windowStart, windowEnd } = r;
  const accumulator = r.accumulator.toString('base64');
  return Buffer.from(
    JSON.stringify({ formatVersion: 1, type, upstreamPartition, key, windowStart, windowEnd, accumulator }),
  );
}

/**
 * The repartition topic as stage 2 reads it: the partials, and after each window's partials a watermark from every
 * upstream that passes it, so the merge fires it; a last one passes them all.
 */
function repartitionStream(partials: readonly PartialRecord[]): RepartitionRecord[] {
  const stream: RepartitionRecord[] = [];
  const passAll = (watermark: number): void => {
    for (let u = 0; u < UPSTREAMS; u++)
      stream.push({ type: 'watermark', upstreamPartition: u, watermark, idle: false });
  };
  partials.forEach((p, i) => {
    stream.push(p);
    if ((i + 1) % PARTIALS_PER_WINDOW === 0) passAll(p.windowEnd + WINDOW_MS);
  });
  passAll(Number.MAX_SAFE_INTEGER / 2);
  return stream;
}

/**
 * What one build does with the partials: encode + decode every repartition record; and the merge stage — a
 * MergeTask applies them (comparing each with the partial it holds), outputs and changelog drained every 1000
 * records as a commit would, then a fresh task restored from that changelog, as after a rebalance.
 */
function buildWork(
  p: Processor,
  partials: readonly PartialRecord[],
): { records: () => void; merge: () => void } {
  const values = repartitionStream(partials).map((r) => p.encodeRepartitionRecord(r));
  const input = values.map((value, offset): InputRecord => ({
    topic: 'repartition',
    partition: 0,
    offset,
    timestamp: 0,
    key: null,
    value,
    headers: {},
  }));
  const task = (): processor.MergeTask<processor.PageCounts, processor.PageCounts> =>
    new p.MergeTask({ upstreamPartitions: UPSTREAMS, aggregator: p.clickstreamAggregator() });
  return {
    records: () => {
      for (const r of partials) p.decodeRepartitionRecord(p.encodeRepartitionRecord(r));
    },
    merge: () => {
      const merge = task();
      const changelog: ChangelogEntry[] = [];
      input.forEach((record, i) => {
        merge.process(record);
        if ((i + 1) % COMMIT_EVERY === 0 || i === input.length - 1) {
          merge.drainOutputs();
          changelog.push(...merge.drainChangelog());
        }
      });
      task().restore(changelog);
    },
  };
}

export interface PartialsRow {
  readonly step: string;
  /** Median CPU ms per contender, in column order. */
  readonly cpuMs: readonly number[];
}

/** CPU ms per step and contender, and the ratios: format 2 / format 1, this build / the baseline. */
export function renderPartialsTable(rows: readonly PartialsRow[], columns: readonly string[]): string {
  const format1 = columns.indexOf('format 1');
  const baseline = columns.indexOf('baseline');
  const current = columns.indexOf('this build');
  return markdownTable(
    [
      'step',
      ...columns.map((c) => `${c} CPU-ms`),
      ...(format1 < 0 ? [] : ['this build / format 1']),
      ...(baseline < 0 ? [] : ['this build / baseline']),
    ],
    rows.map((r) => {
      const ratio = (i: number): string =>
        times(Number.isNaN(r.cpuMs[i]!) ? undefined : r.cpuMs[current]! / r.cpuMs[i]!);
      return [
        r.step,
        ...r.cpuMs.map((ms) => (Number.isNaN(ms) ? '–' : ms.toFixed(1))),
        ...(format1 < 0 ? [] : [ratio(format1)]),
        ...(baseline < 0 ? [] : [ratio(baseline)]),
      ];
    }),
  );
}

export const processorPartialsSuite = defineSuite({
  name: 'processor-partials',
  summary:
    "The processor's partial accumulators on the hot path of a re-keyed aggregation, CPU time on one core",
  needs: 'nothing',
  description:
    'CPU time, no Kafka: the repartition record (format 2 vs format 1) and the merge stage (MergeTask: apply,\n' +
    'changelog, firing, restore); run it on one core (taskset -c 1). What is measured: packages/processor/bench/README.md.',
  options: {
    partials: count(100_000, 'partial records (4 upstreams, 1000 pages, 20 000 per window)'),
    rounds: count(5, 'interleaved rounds; the median is reported'),
    baseline: BASELINE,
  },
  async run(o, context) {
    const partials = partialsWorkload(o.partials);
    const builds: { name: string; work: ReturnType<typeof buildWork> }[] = [
      { name: 'this build', work: buildWork(processor, partials) },
    ];
    if (o.baseline !== undefined)
      builds.push({
        name: 'baseline',
        work: buildWork(await importBaseline<Processor>(o.baseline, 'processor'), partials),
      });
    const format1 = (): void => {
      for (const r of partials) processor.decodeRepartitionRecord(encodeFormat1(r));
    };
    const records = interleavedMedians([format1, ...builds.map((b) => b.work.records)], o.rounds);
    const merge = interleavedMedians(
      builds.map((b) => b.work.merge),
      o.rounds,
    );
    const columns = ['format 1', ...builds.map((b) => b.name)];
    const bytes = (encode: (r: PartialRecord) => Buffer): string =>
      (partials.reduce((n, r) => n + encode(r).length, 0) / partials.length).toFixed(1);
    context.print(
      [
        `${o.partials} partials, ${UPSTREAMS} upstreams, 16-byte accumulators, median of ${o.rounds} interleaved rounds (Node ${process.version})`,
        '',
        renderPartialsTable(
          [
            { step: 'repartition record (encode + decode)', cpuMs: records },
            { step: 'merge stage (apply + changelog + firing + restore)', cpuMs: [Number.NaN, ...merge] },
          ],
          columns,
        ),
        '',
        `repartition record bytes: format 1 ${bytes(encodeFormat1)}, format 2 ${bytes(processor.encodeRepartitionRecord)}`,
      ].join('\n'),
    );
  },
});
