import type { ClickstreamProjection } from '@tributary/schema';
import { clickstreamDecoder, type ClickstreamDecoderOptions } from '../engine/clickstream-job.js';
import type { EventCodec } from './logical-plan.js';

/**
 * The reference job's source codec: `ClickstreamEvent` protobuf values validated by the schema (failures carry the
 * `TRIB_SCHEMA_…` code), event time = the event's `timestamp`.
 */
export function clickstreamCodec(options: ClickstreamDecoderOptions = {}): EventCodec<ClickstreamProjection> {
  return { decode: clickstreamDecoder(options), eventTime: (event) => event.timestamp };
}
