import { clickstreamAggregator, type PageCounts } from '../../src/aggregate/clickstream.js';
import { MergeTask, type MergeTaskOptions } from '../../src/engine/merge-task.js';
import {
  PartialAggregationTask,
  type PartialAggregationTaskOptions,
} from '../../src/engine/partial-aggregation-task.js';
import type { OutputRecord } from '../../src/task/partition-task.js';
import { TumblingWindows } from '../../src/windows/tumbling.js';
import { decodeTestEvent, Log, type TestEvent } from './fixtures.js';

export type PartialOpts = Partial<PartialAggregationTaskOptions<TestEvent, PageCounts, PageCounts>>;
export type MergeOpts = Partial<MergeTaskOptions<PageCounts, PageCounts>>;

/** Stage 1 tasks → an in-memory repartition topic (by-key: hash of the key; broadcast: all) → stage 2 tasks. */
export class TwoStage {
  readonly partials: PartialAggregationTask<TestEvent, PageCounts, PageCounts>[] = [];
  readonly merges: MergeTask<PageCounts, PageCounts>[] = [];
  readonly inputs: Log[] = [];
  readonly repartition: Log[] = [];
  readonly results: OutputRecord[] = [];
  readonly side: OutputRecord[] = [];

  readonly #partialOpts: PartialOpts;

  constructor(
    upstream: number,
    downstream: number,
    partialOpts: PartialOpts = {},
    mergeOpts: MergeOpts = {},
  ) {
    this.#partialOpts = partialOpts;
    for (let p = 0; p < upstream; p++) this.addUpstream();
    for (let m = 0; m < downstream; m++) {
      this.merges.push(this.newMerge(upstream, mergeOpts));
      this.repartition.push(new Log('repartition', m));
    }
  }

  /** A stage-1 task for one more input partition (the input topic gained a partition); returns its number. */
  addUpstream(): number {
    const p = this.partials.length;
    this.partials.push(
      new PartialAggregationTask<TestEvent, PageCounts, PageCounts>({
        inputPartition: p,
        decode: decodeTestEvent,
        timestampOf: (e) => e.ts,
        keyOf: (e) => e.page,
        eventIdOf: (e) => e.id,
        window: new TumblingWindows({ sizeMs: 60_000 }),
        aggregator: clickstreamAggregator<TestEvent>(),
        wallClockAdvance: false,
        ...this.#partialOpts,
      }),
    );
    this.inputs.push(new Log('events', p));
    return p;
  }

  newMerge(upstream: number, mergeOpts: MergeOpts = {}): MergeTask<PageCounts, PageCounts> {
    return new MergeTask<PageCounts, PageCounts>({
      upstreamPartitions: upstream,
      aggregator: clickstreamAggregator<TestEvent>(),
      wallClockAdvance: false,
      ...mergeOpts,
    });
  }

  feed(partition: number, e: TestEvent | 'malformed'): void {
    const log = this.inputs[partition]!;
    this.partials[partition]!.process(e === 'malformed' ? log.raw(Buffer.from('garbage')) : log.event(e));
  }

  /** A commit of stage-1 partition `p`: its outputs are delivered to the merge tasks in order. */
  commit(p: number): void {
    for (const out of this.partials[p]!.drainOutputs()) {
      if (out.output !== 'repartition') {
        this.side.push(out);
        continue;
      }
      const targets =
        out.destination.kind === 'broadcast'
          ? this.merges.map((_, i) => i)
          : [hash(out.key!.toString()) % this.merges.length];
      for (const m of targets) this.merges[m]!.process(this.repartition[m]!.raw(out.value, out.key));
    }
    this.collect();
  }

  tickMerges(now: number): void {
    for (const m of this.merges) m.tick(now);
    this.collect();
  }

  collect(): void {
    for (const m of this.merges) this.results.push(...m.drainOutputs());
  }
}

export function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return h;
}
