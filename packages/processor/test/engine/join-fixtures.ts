import { IntervalJoinTask, type IntervalJoinTaskOptions } from '../../src/engine/interval-join-task.js';
import type { JoinSide } from '../../src/engine/join-record-format.js';
import { JoinSideTask, type JoinSideTaskOptions } from '../../src/engine/join-side-task.js';
import type { ChangelogEntry, InputRecord, OutputRecord } from '../../src/task/partition-task.js';
import { decodeTestEvent, Log, rng, type TestEvent } from './fixtures.js';

export interface Conversion {
  click: string;
  order: string;
  user: string;
}

export type JoinOpts = Partial<IntervalJoinTaskOptions<TestEvent, TestEvent, Conversion>>;
export type SideOpts = Partial<JoinSideTaskOptions<TestEvent>>;

/** A click (left) and an order (right) of the same user within [lowerMs, upperMs]. */
export function newJoin(opts: JoinOpts = {}): IntervalJoinTask<TestEvent, TestEvent, Conversion> {
  return new IntervalJoinTask<TestEvent, TestEvent, Conversion>({
    lowerMs: 0,
    upperMs: 10_000,
    left: { decode: decodeTestEvent },
    right: { decode: decodeTestEvent },
    joiner: (click, order, user) => ({ click: click.id, order: order.id, user }),
    ...opts,
  });
}

export function newSide(
  side: JoinSide,
  partition: number,
  partitionCount: number,
  opts: SideOpts = {},
): JoinSideTask<TestEvent> {
  return new JoinSideTask<TestEvent>({
    side,
    inputPartition: partition,
    partitionCount,
    decode: decodeTestEvent,
    timestampOf: (e) => e.ts,
    keyOf: (e) => e.user,
    eventIdOf: (e) => e.id,
    outOfOrdernessMs: 0,
    ...opts,
  });
}

/** Records of one source partition: events, or 'malformed' for an undecodable record. */
export function sourceLog(
  topic: string,
  partition: number,
  events: Array<TestEvent | 'malformed'>,
): InputRecord[] {
  const log = new Log(topic, partition);
  for (const e of events) {
    if (e === 'malformed') log.raw(Buffer.from('garbage'));
    else log.event(e);
  }
  return log.records;
}

/**
 * The repartition values one JoinSideTask writes for `records`, drained after a random number of records (a random
 * commit schedule), with the side outputs (late, dead letters) apart.
 */
export function sideStream(
  side: JoinSide,
  partitions: InputRecord[][],
  seed: number,
  opts: SideOpts = {},
): { streams: Buffer[][]; sideOutputs: OutputRecord[] } {
  const r = rng(seed);
  const sideOutputs: OutputRecord[] = [];
  const streams = partitions.map((records, p) => {
    const task = newSide(side, p, partitions.length, opts);
    const values: Buffer[] = [];
    const drain = (): void => {
      for (const o of task.drainOutputs()) {
        if (o.output === 'repartition') values.push(o.value!);
        else sideOutputs.push(o);
      }
    };
    drain();
    for (const record of records) {
      task.process(record);
      if (r() < 0.3) drain();
    }
    drain();
    return values;
  });
  return { streams, sideOutputs };
}

/** A random interleaving of the streams, each kept in order, as the records of one repartition partition. */
export function interleave(streams: Buffer[][], seed: number): InputRecord[] {
  const r = rng(seed);
  const at = streams.map(() => 0);
  const log = new Log('join-repartition', 0);
  for (;;) {
    const open = streams.flatMap((s, i) => (at[i]! < s.length ? [i] : []));
    if (open.length === 0) return log.records;
    const i = open[Math.floor(r() * open.length)]!;
    log.raw(streams[i]![at[i]!++]!);
  }
}

/** Every output of a join fed `records`, drained after each. */
export function runJoin(
  task: IntervalJoinTask<TestEvent, TestEvent, Conversion>,
  records: readonly InputRecord[],
): OutputRecord[] {
  const out: OutputRecord[] = [];
  for (const r of records) {
    task.process(r);
    out.push(...task.drainOutputs());
  }
  return out;
}

/**
 * The committed outputs of a join that commits after a random number of records, crashes at `crashAt` (losing what
 * it did since its last commit), and restarts from its changelog, fed the whole log again (the runtime resumes after
 * the committed offset; records at or below it are skipped by the task).
 */
export function runJoinWithCrash(
  newTask: () => IntervalJoinTask<TestEvent, TestEvent, Conversion>,
  records: readonly InputRecord[],
  crashAt: number,
  seed: number,
): OutputRecord[] {
  const r = rng(seed);
  const first = newTask();
  const changelog: ChangelogEntry[] = [];
  const committed: OutputRecord[] = [];
  let pending: OutputRecord[] = [];
  let committedOffset = -1;
  for (const record of records.slice(0, crashAt)) {
    first.process(record);
    pending.push(...first.drainOutputs());
    if (r() < 0.2) {
      changelog.push(...first.drainChangelog());
      committed.push(...pending);
      pending = [];
      committedOffset = record.offset;
    }
  }
  const second = newTask();
  second.restore(changelog);
  return [...committed, ...runJoin(second, records.slice(committedOffset + 1))];
}

/** The conversions on the results output, as sorted `click>order@user` strings (a multiset). */
export function conversions(outputs: readonly OutputRecord[]): string[] {
  return outputs
    .filter((o) => o.output === 'results')
    .map((o) => {
      const c = JSON.parse(o.value!.toString('utf8')) as Conversion;
      return `${c.click}>${c.order}@${c.user}`;
    })
    .sort();
}

/**
 * The interval join written independently of the engine: per source partition in offset order, an event is late
 * when `ts + 1 + L <= maxTs - B`, a duplicate when its id was accepted before; every accepted click and order of the
 * same user with `order.ts - click.ts` in [lower, upper] is a conversion.
 */
export function referenceConversions(
  clicks: Array<Array<TestEvent | 'malformed'>>,
  orders: Array<Array<TestEvent | 'malformed'>>,
  o: { boundMs: number; latenessMs: number; lowerMs: number; upperMs: number },
): string[] {
  const accepted = (partitions: Array<Array<TestEvent | 'malformed'>>): TestEvent[] =>
    partitions.flatMap((events) => {
      let maxTs = Number.NEGATIVE_INFINITY;
      const seen = new Set<string>();
      const out: TestEvent[] = [];
      for (const e of events) {
        if (e === 'malformed') continue;
        if (e.ts + 1 + o.latenessMs > maxTs - o.boundMs && !seen.has(e.id)) {
          seen.add(e.id);
          out.push(e);
        }
        maxTs = Math.max(maxTs, e.ts);
      }
      return out;
    });
  const left = accepted(clicks);
  const right = accepted(orders);
  const out: string[] = [];
  for (const l of left) {
    for (const r of right) {
      const d = r.ts - l.ts;
      if (l.user === r.user && d >= o.lowerMs && d <= o.upperMs) out.push(`${l.id}>${r.id}@${l.user}`);
    }
  }
  return out.sort();
}
