import type {
  ChangelogEntry,
  InputRecord,
  OutputRecord,
  PartitionTask,
} from '../../src/task/partition-task.js';

/** The outputs of one task processing `records`, drained after every record. */
export function runUninterrupted(task: PartitionTask, records: readonly InputRecord[]): OutputRecord[] {
  const out: OutputRecord[] = [];
  for (const r of records) {
    task.process(r);
    out.push(...task.drainOutputs());
  }
  return out;
}

/**
 * The outputs of `records` processed with a restart at `cut`: the first task commits its changelog every
 * `commitEvery` records and at the cut, a fresh task restores that changelog (as `asWritten` rewrites it: e.g. in
 * the previous version's format) and processes the rest.
 */
export function runWithRestart(
  newTask: () => PartitionTask,
  records: readonly InputRecord[],
  cut: number,
  commitEvery: number,
  asWritten: (changelog: ChangelogEntry[]) => ChangelogEntry[] = (c) => c,
): OutputRecord[] {
  const first = newTask();
  const changelog: ChangelogEntry[] = [];
  const out: OutputRecord[] = [];
  for (const [i, r] of records.slice(0, cut).entries()) {
    first.process(r);
    out.push(...first.drainOutputs());
    if (i % commitEvery === 0) changelog.push(...first.drainChangelog()); // commits at arbitrary points
  }
  changelog.push(...first.drainChangelog());
  const second = newTask();
  second.restore(asWritten(changelog));
  out.push(...runUninterrupted(second, records.slice(cut)));
  return out;
}
