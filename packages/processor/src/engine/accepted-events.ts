import { option, z } from '@tributary/options';
import { fn } from '../config/option-schemas.js';
import type { InputRecord, OutputRecord } from '../task/partition-task.js';
import { outputName } from './options.js';

/** One accepted event as an output record's key and value (e.g. the event joined with reference data). */
export interface EncodedEvent {
  readonly key: Buffer | null;
  readonly value: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A second output of a stage-1 task carrying every ACCEPTED event — the same verdicts (valid, not late, not a
 * duplicate) as the events counted in the windows, written in the same commit (transaction) as the partials.
 */
export interface AcceptedEventOutput<E> {
  /** Logical output name (mapped to a topic by the runtime), e.g. 'enriched'. */
  readonly output: string;
  /** Encodes one accepted event; `record` is its input record (topic, partition, offset). */
  readonly encode: (event: E, record: InputRecord) => EncodedEvent;
}

/** `acceptedEvents` of a stage-1 task: checked as `{ output, encode }` (its event type comes from the task). */
export const ACCEPTED_EVENTS = option(
  z
    .object({ output: outputName, encode: fn<(event: never, record: InputRecord) => EncodedEvent>() })
    .optional(),
  'also emit every accepted event on this output',
);

/**
 * The output record of one accepted event, by key. The record timestamp is left to the runtime (commit time), not
 * the event time: a replay of old event time must not land in segments that time-based retention deletes at once.
 */
export function acceptedEventRecord<E>(
  spec: AcceptedEventOutput<E>,
  admission: { readonly event: E },
  record: InputRecord,
): OutputRecord {
  const encoded = spec.encode(admission.event, record);
  return {
    output: spec.output,
    key: encoded.key,
    value: encoded.value,
    headers: encoded.headers ?? {},
    destination: { kind: 'by-key' },
  };
}
