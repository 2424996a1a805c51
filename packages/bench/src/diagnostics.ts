import * as diagnosticsChannel from 'node:diagnostics_channel';

/** Every diagnostics channel of @tributary/bench; free when nobody subscribes. */
export const CHANNEL_NAMES = {
  /** `{ run, id, ratePerSec, durationMs, warmupMs, partitions }` when a table run starts. */
  RUN_START: 'tributary:bench:run-start',
  /** `{ run, id, correctness, searchableWindows, drainWindows, warmupWindows }` when a table run ends. */
  RUN_END: 'tributary:bench:run-end',
  /** `{ run, line }` for each progress line a run logs. */
  PROGRESS: 'tributary:bench:progress',
} as const;

export const channels = {
  runStart: diagnosticsChannel.channel(CHANNEL_NAMES.RUN_START),
  runEnd: diagnosticsChannel.channel(CHANNEL_NAMES.RUN_END),
  progress: diagnosticsChannel.channel(CHANNEL_NAMES.PROGRESS),
} as const;

/** Publishes only when someone listens, so building the message costs nothing otherwise. */
export function publish(channel: diagnosticsChannel.Channel, message: () => object): void {
  if (channel.hasSubscribers) channel.publish(message());
}
