import * as diagnostics_channel from 'node:diagnostics_channel';

/**
 * Every diagnostics channel of @tributary/producer, declared in one place. Publishing costs nothing when no one
 * subscribes (`channel.hasSubscribers` is checked first).
 */
export const channels = {
  /** A batch was acknowledged: `{ topic, records, bytes, latencyMs }`. */
  batchAcked: diagnostics_channel.channel('tributary:producer:batch-acked'),
  /** A batch failed for good: `{ topic, records, error }`. */
  batchFailed: diagnostics_channel.channel('tributary:producer:batch-failed'),
  /** Periodic progress of a load run: ProgressFigures. */
  progress: diagnostics_channel.channel('tributary:producer:progress'),
  /** The gateway answered a request: `{ status, events, latencyMs }`. */
  gatewayRequest: diagnostics_channel.channel('tributary:producer:gateway-request'),
} as const;

export const CHANNEL_NAMES = Object.freeze(Object.values(channels).map((c) => c.name as string));

export function publish(channel: diagnostics_channel.Channel, message: unknown): void {
  if (channel.hasSubscribers) channel.publish(message);
}
