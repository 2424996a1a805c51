import { channel } from 'node:diagnostics_channel';
import type { Channel } from 'node:diagnostics_channel';

/** Every diagnostics channel of the processor runtime. Publishing is free when nobody subscribes. */
export const RUNTIME_CHANNELS = {
  /** `{ stage, topic, partition, offset, messages, durationMs }` after a task's commit. */
  commit: channel('tributary:processor:commit'),
  /** `{ stage, topic, partition, error }` when a commit failed and its transaction was aborted. */
  commitFailed: channel('tributary:processor:commit-failed'),
  /** `{ stage, partitions, records, durationMs }` after newly assigned tasks were restored from their changelogs. */
  restore: channel('tributary:processor:restore'),
  /** `{ stage, assigned, added, revoked }` on every group assignment. */
  assignment: channel('tributary:processor:assignment'),
  /** `{ stage, error, attempt }` when a stage is torn down and restarted after a failure. */
  stageRestart: channel('tributary:processor:stage-restart'),
  /** `{ table, records, durationMs }` once a reference-data table was loaded to its topic's end offsets. */
  tableLoaded: channel('tributary:processor:table-loaded'),
} as const;

export function publish(ch: Channel, message: () => object): void {
  if (ch.hasSubscribers) ch.publish(message());
}
