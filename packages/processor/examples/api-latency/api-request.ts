import type { DecodeResult, EventCodec, InputRecord } from '../../src/index.js';

/** One HTTP request served by an API, as the gateway writes it to `api-requests` (UTF-8 JSON). */
export interface ApiRequest {
  /** Route template, e.g. `/orders/:id` (the aggregation key: keep it low-cardinality). */
  readonly endpoint: string;
  /** HTTP status code. */
  readonly status: number;
  /** Time to serve the request, in ms. */
  readonly latency_ms: number;
  /** When the request was received, epoch ms (the event time). */
  readonly timestamp: number;
  /** Unique per request (the Kafka key; also the dedup id). */
  readonly request_id: string;
}

/** Dead-letter codes of this codec (in the `tributary.error.code` header). */
export const API_REQUEST_ERRORS = {
  notJson: 'API_REQUEST_NOT_JSON',
  invalid: 'API_REQUEST_INVALID',
} as const;

const MAX_ENDPOINT_CHARS = 256;
const MAX_REQUEST_ID_CHARS = 128;

/**
 * Decodes and validates an `ApiRequest` record. Never throws: anything else becomes a dead letter with a code and a
 * reason naming the field, and the job goes on.
 */
export function decodeApiRequest(record: InputRecord): DecodeResult<ApiRequest> {
  if (record.value === null) return invalid('the record has no value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.value.toString('utf8'));
  } catch {
    return { ok: false, code: API_REQUEST_ERRORS.notJson, reason: 'the value is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return invalid('the value is not a JSON object');
  const { endpoint, status, latency_ms, timestamp, request_id } = parsed as Record<string, unknown>;
  if (typeof endpoint !== 'string' || endpoint.length === 0 || endpoint.length > MAX_ENDPOINT_CHARS)
    return invalid(`endpoint must be a string of 1 to ${MAX_ENDPOINT_CHARS} characters`);
  if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599)
    return invalid('status must be an HTTP status code (100 to 599)');
  if (typeof latency_ms !== 'number' || !Number.isFinite(latency_ms) || latency_ms < 0)
    return invalid('latency_ms must be a non-negative number');
  if (!Number.isSafeInteger(timestamp) || (timestamp as number) < 0)
    return invalid('timestamp must be epoch milliseconds');
  if (typeof request_id !== 'string' || request_id.length === 0 || request_id.length > MAX_REQUEST_ID_CHARS)
    return invalid(`request_id must be a string of 1 to ${MAX_REQUEST_ID_CHARS} characters`);
  return {
    ok: true,
    event: { endpoint, status: status as number, latency_ms, timestamp: timestamp as number, request_id },
  };
}

function invalid(reason: string): DecodeResult<never> {
  return { ok: false, code: API_REQUEST_ERRORS.invalid, reason };
}

/** The source codec of the job: validated requests, event time = `timestamp`. */
export const apiRequestCodec: EventCodec<ApiRequest> = {
  decode: decodeApiRequest,
  eventTime: (request) => request.timestamp,
};
