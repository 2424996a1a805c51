import { channel } from 'node:diagnostics_channel';
import type { SchemaError } from './errors.js';

/**
 * All diagnostics channels of @tributary/schema. Publishing is skipped when nobody subscribes, so they cost
 * nothing unless used.
 */
export const DIAGNOSTICS_CHANNELS = {
  /** An event failed decoding or validation. Message: `InvalidEventMessage`. */
  invalidEvent: 'tributary:schema:invalid-event',
} as const;

export interface InvalidEventMessage {
  /** The error the caller receives in the validation result. */
  error: SchemaError;
}

const invalidEvent = channel(DIAGNOSTICS_CHANNELS.invalidEvent);

/** Publishes on `tributary:schema:invalid-event` when someone listens; returns the error for chaining. */
export function publishInvalidEvent(error: SchemaError): SchemaError {
  if (invalidEvent.hasSubscribers) invalidEvent.publish({ error } satisfies InvalidEventMessage);
  return error;
}
