import * as diagnosticsChannel from 'node:diagnostics_channel';

/**
 * All diagnostics channels of the processor engine, declared in one place. Publishing is skipped when nobody
 * subscribes, so observability is free when unused.
 */
export const ENGINE_CHANNELS = {
  /** `{ task, key, windowStart, windowEnd, isFinal, version }` — a window result was emitted. */
  windowFired: diagnosticsChannel.channel('tributary:processor:window-fired'),
  /** `{ task, topic, partition, offset, watermark, windowEnd }` — an event was routed to the late output. */
  lateEvent: diagnosticsChannel.channel('tributary:processor:late-event'),
  /** `{ task, topic, partition, offset, code, reason }` — a record was routed to the dead-letter output. */
  deadLetter: diagnosticsChannel.channel('tributary:processor:dead-letter'),
  /** `{ task, topic, partition, offset, eventId }` — a duplicate event was dropped. */
  duplicate: diagnosticsChannel.channel('tributary:processor:duplicate'),
  /**
   * `{ task, topic, partition, offset, ids }` — accepting the event at `offset` took the dedup store over
   * `maxDedupEntries`: its oldest event-time buckets (`ids` remembered ids in all) were forgotten.
   */
  dedupEvicted: diagnosticsChannel.channel('tributary:processor:dedup-evicted'),
} as const;

export function publish(channel: diagnosticsChannel.Channel, message: () => object): void {
  if (channel.hasSubscribers) channel.publish(message());
}

/** Publishes that task `task` routed `record` to the dead-letter output with `code` and `reason`. */
export function publishDeadLetter(
  task: string,
  record: { readonly topic: string; readonly partition: number; readonly offset: number },
  code: string,
  reason: string,
): void {
  publish(ENGINE_CHANNELS.deadLetter, () => ({
    task,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    code,
    reason,
  }));
}
