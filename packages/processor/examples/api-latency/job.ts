import {
  hopping,
  percentilesAggregator,
  streamJob,
  type Aggregator,
  type EncodedResult,
  type StreamJobSettings,
  type StreamPlan,
  type WindowedResult,
} from '../../src/index.js';
import { apiRequestCodec, type ApiRequest } from './api-request.js';

/** The topics of the job. */
export const API_LATENCY_TOPICS = {
  requests: 'api-requests',
  latency: 'api-latency',
  late: 'api-requests-late',
  deadLetter: 'api-requests-dlq',
} as const;

/** Latency percentiles of a window; an HDR histogram whose partials merge exactly across partitions. */
const latency = percentilesAggregator((request: ApiRequest) => request.latency_ms, {
  percentiles: [50, 95, 99],
  highestTrackableValue: 60_000, // a minute: slower requests count as 60 000 ms
});
type LatencyHistogram = ReturnType<typeof latency.create>;

/** What one endpoint did in one window. */
export interface EndpointLatency {
  readonly requests: number;
  /** Requests answered with a 5xx status. */
  readonly errors: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

interface EndpointAccumulator {
  errors: number;
  latency: LatencyHistogram;
}

/**
 * A user-defined aggregator: the error count next to the latency histogram. Serialized as a 4-byte error count
 * followed by the histogram's own bytes, so it moves through the changelog and the repartition topic exactly.
 */
export function endpointLatency(): Aggregator<ApiRequest, EndpointAccumulator, EndpointLatency> {
  return {
    create: () => ({ errors: 0, latency: latency.create() }),
    add: (acc, request) => {
      if (request.status >= 500) acc.errors++;
      acc.latency = latency.add(acc.latency, request);
      return acc;
    },
    merge: (a, b) => ({ errors: a.errors + b.errors, latency: latency.merge(a.latency, b.latency) }),
    result: (acc) => {
      const { count, p50, p95, p99, max } = latency.result(acc.latency);
      return { requests: count, errors: acc.errors, p50, p95, p99, max };
    },
    serialize: (acc) => {
      const errors = Buffer.alloc(4);
      errors.writeUInt32BE(acc.errors);
      return Buffer.concat([errors, latency.serialize(acc.latency)]);
    },
    deserialize: (bytes) => ({
      errors: bytes.readUInt32BE(0),
      latency: latency.deserialize(bytes.subarray(4)),
    }),
  };
}

/** The record of one result: key = endpoint, value = JSON, one line per (endpoint, window). */
export function encodeEndpointLatency(r: WindowedResult<EndpointLatency>): EncodedResult {
  const value = { endpoint: r.key, windowStart: r.windowStart, windowEnd: r.windowEnd, ...r.result };
  return { key: Buffer.from(r.key), value: Buffer.from(JSON.stringify(value)) };
}

/** What a consumer of `api-latency` reads. */
export type EndpointLatencyRecord = EndpointLatency & {
  readonly endpoint: string;
  readonly windowStart: number;
  readonly windowEnd: number;
};

/**
 * p50/p95/p99 latency and error count per endpoint over the last 5 minutes, every minute. The input is keyed by
 * request_id, not by endpoint, so the planner runs two stages: partial histograms per input partition, sent by
 * endpoint through `${applicationId}-repartition`, merged by the second stage.
 */
export function apiLatencyJob(settings: StreamJobSettings): StreamPlan {
  return streamJob(settings)
    .source(API_LATENCY_TOPICS.requests, apiRequestCodec, { partitionedBy: 'request_id' })
    .dedupBy((request) => request.request_id, { ttl: '10m' })
    .keyBy('endpoint')
    .window(hopping({ size: '5m', advance: '1m' }), { outOfOrderness: '10s' })
    .aggregate(endpointLatency())
    .to(API_LATENCY_TOPICS.latency, encodeEndpointLatency, {
      late: API_LATENCY_TOPICS.late,
      deadLetter: API_LATENCY_TOPICS.deadLetter,
    });
}
