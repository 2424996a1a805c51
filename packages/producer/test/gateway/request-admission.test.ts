import { describe, expect, it } from 'vitest';
import { ApiKeyAuth } from '../../src/gateway/api-key-auth.js';
import { InFlightBudget } from '../../src/gateway/in-flight-budget.js';
import { admitRequest } from '../../src/gateway/request-admission.js';

const KEY = 'key-aaaaaaaaaaaaaaaa';

function state(overrides: { closing?: boolean; kafkaReady?: boolean; full?: boolean } = {}) {
  const budget = new InFlightBudget({ maxEvents: 1, maxBytes: 100 });
  if (overrides.full === true) budget.tryReserve(1)!.tryHandOff(1, 1);
  return {
    auth: new ApiKeyAuth([KEY]),
    closing: overrides.closing ?? false,
    kafkaReady: overrides.kafkaReady ?? true,
    budget,
  };
}

describe('admitRequest', () => {
  it('admits an authenticated request while Kafka is ready and the budget has room', () => {
    expect(admitRequest({ 'x-api-key': KEY }, state())).toEqual({ ok: true });
  });

  it('refuses, in order: 401 without a valid key, 503 shutting down, 503 Kafka unavailable, 429 budget full', () => {
    const headers = { authorization: `Bearer ${KEY}` };
    expect(admitRequest({}, state({ closing: true, kafkaReady: false, full: true }))).toMatchObject({
      ok: false,
      status: 401,
      refusal: 'unauthorized',
      wwwAuthenticate: expect.stringContaining('Bearer'),
    });
    expect(admitRequest(headers, state({ closing: true, kafkaReady: false }))).toMatchObject({
      status: 503,
      refusal: 'shutting-down',
    });
    expect(admitRequest(headers, state({ kafkaReady: false, full: true }))).toMatchObject({
      status: 503,
      refusal: 'kafka-unavailable',
    });
    expect(admitRequest(headers, state({ full: true }))).toMatchObject({
      status: 429,
      refusal: 'backpressure',
    });
  });
});
