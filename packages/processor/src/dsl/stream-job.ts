import { checkOption, fn, name, topicName } from '../config/option-schemas.js';
import type { Decoder } from '../engine/decoder.js';
import { invalidOption } from '../errors.js';
import type { EventCodec, SourceOptions, StreamJobSettings } from './logical-plan.js';
import { Stream } from './stream.js';

/** A declarative job: its settings, then `.source(…)` and the steps of its one stream. */
export interface StreamJobBuilder {
  /** Reads `topic`, decoding and validating each record with `codec` (failures go to the dead-letter topic). */
  source<E>(topic: string, codec: EventCodec<E>, options?: SourceOptions<E>): Stream<E>;
  /** Reads `topic` with a bare decoder; `eventTime` gives each element's event time. */
  source<E>(
    topic: string,
    decode: Decoder<E>,
    options: SourceOptions<E> & { eventTime: (event: E) => number },
  ): Stream<E>;
}

/**
 * Starts a typed, declarative job (Flink's DataStream / Kafka Streams' DSL over this package's engine):
 * `streamJob({ applicationId, brokers }).source(topic, codec).filter(…).keyBy(…).window(…).aggregate(…).to(…)`.
 * The planner chooses the physical job (one stage, or partial → repartition → merge) and `.start()` runs it with
 * `createStreamJob`. `settings` are `createStreamJob`'s options except those the planner sets (input, taskFactory,
 * outputs, merge, tables); they are validated with them.
 */
export function streamJob(settings: StreamJobSettings): StreamJobBuilder {
  checkOption('applicationId', name.max(200), settings.applicationId);
  return {
    source<E>(
      topic: string,
      codec: EventCodec<E> | Decoder<E>,
      options: SourceOptions<E> & { eventTime?: (event: E) => number } = {},
    ): Stream<E> {
      checkOption('source.topic', topicName, topic);
      const resolved: EventCodec<E> =
        typeof codec === 'function'
          ? {
              decode: codec,
              eventTime: checkOption('source.eventTime', fn<(event: E) => number>(), options.eventTime),
            }
          : codec;
      checkOption('source.codec.decode', fn(), resolved.decode);
      checkOption('source.codec.eventTime', fn(), resolved.eventTime);
      const partitionedBy = options.partitionedBy;
      if (
        partitionedBy !== undefined &&
        typeof partitionedBy !== 'function' &&
        typeof partitionedBy !== 'string'
      )
        throw invalidOption('source.partitionedBy', 'must be a field name or a function');
      return new Stream<E>({
        settings,
        source: { topic, codec: resolved, partitionedBy },
        steps: [],
        dedup: undefined,
      });
    },
  };
}
