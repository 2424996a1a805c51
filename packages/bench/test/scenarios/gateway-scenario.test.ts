import { describe, expect, it } from 'vitest';
import { gatewayBatchBody, resolveGatewayWorkload } from '../../src/scenarios/gateway-scenario.js';

describe('gateway workload', () => {
  it('builds a JSON array of events with the fields the gateway accepts', () => {
    const events = JSON.parse(gatewayBatchBody(3)) as Record<string, unknown>[];
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(e).toMatchObject({
        userId: expect.any(String),
        pageUrl: expect.any(String),
        eventId: expect.any(String),
      });
      expect(['CLICK', 'VIEW']).toContain(e.eventType);
    }
    expect(gatewayBatchBody(3)).toBe(gatewayBatchBody(3));
  });

  it('validates the workload naming the option', () => {
    expect(resolveGatewayWorkload().eventsPerRequest).toBe(50);
    expect(() => resolveGatewayWorkload({ requestsPerSec: 0 })).toThrow(
      /^requestsPerSec must be a positive integer/,
    );
    expect(() => resolveGatewayWorkload({ durationMs: 5 })).toThrow(/^durationMs must be at least 1000 ms/);
  });
});
