import type { IncomingHttpHeaders } from 'node:http';
import type { ApiKeyAuth } from './api-key-auth.js';
import type { InFlightBudget } from './in-flight-budget.js';

/** Why a request is refused before its body is read. */
export const Refusals = {
  UNAUTHORIZED: 'unauthorized',
  SHUTTING_DOWN: 'shutting-down',
  KAFKA_UNAVAILABLE: 'kafka-unavailable',
  BACKPRESSURE: 'backpressure',
} as const;
export type Refusal = (typeof Refusals)[keyof typeof Refusals];

/** The reason of a 429 for the in-flight budget. */
export const IN_FLIGHT_LIMITS_REACHED = 'in-flight events or bytes at their limit (backpressure)';

export type Admission =
  | { ok: true }
  | { ok: false; refusal: Refusal; status: 401 | 429 | 503; reason: string; wwwAuthenticate?: string };

export interface AdmissionState {
  readonly auth: ApiKeyAuth;
  readonly closing: boolean;
  readonly kafkaReady: boolean;
  readonly budget: InFlightBudget;
}

/**
 * Decides, from the headers alone, whether `POST /v1/events` may read its body: 401 without a valid API key, 503
 * while shutting down or while Kafka is unavailable, 429 while the in-flight budget (events sent to Kafka, bytes of
 * bodies being read and of records sent) is full. Nothing of a refused request is read or parsed.
 */
export function admitRequest(headers: IncomingHttpHeaders, state: AdmissionState): Admission {
  const auth = state.auth.check(headers);
  if (!auth.ok)
    return {
      ok: false,
      refusal: Refusals.UNAUTHORIZED,
      status: 401,
      reason: auth.reason,
      wwwAuthenticate: auth.wwwAuthenticate,
    };
  if (state.closing)
    return { ok: false, refusal: Refusals.SHUTTING_DOWN, status: 503, reason: 'shutting down' };
  if (!state.kafkaReady)
    return { ok: false, refusal: Refusals.KAFKA_UNAVAILABLE, status: 503, reason: 'Kafka is not available' };
  if (state.budget.full)
    return {
      ok: false,
      refusal: Refusals.BACKPRESSURE,
      status: 429,
      reason: IN_FLIGHT_LIMITS_REACHED,
    };
  return { ok: true };
}
