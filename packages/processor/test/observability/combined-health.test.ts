import { describe, expect, it } from 'vitest';
import { combineHealth } from '../../src/observability/combined-health.js';

describe('combineHealth', () => {
  const job = { live: true, ready: true, details: { state: 'running', stages: { app: { ready: true } } } };

  it('is ready only while every component is ready, with each one under its name', () => {
    const connector = { live: true, ready: false, details: { consumerJoined: false } };
    expect(combineHealth({ job, elasticsearch: connector })).toEqual({
      live: true,
      ready: false,
      details: {
        job: { live: true, ready: true, state: 'running', stages: { app: { ready: true } } },
        elasticsearch: { live: true, ready: false, consumerJoined: false },
      },
    });
    expect(combineHealth({ job, elasticsearch: { ...connector, ready: true } }).ready).toBe(true);
  });

  it('skips absent components (no connector with --no-elasticsearch)', () => {
    expect(combineHealth({ job, elasticsearch: undefined, enrichedEvents: undefined })).toEqual({
      live: true,
      ready: true,
      details: { job: { live: true, ready: true, state: 'running', stages: { app: { ready: true } } } },
    });
  });

  it('is not live, hence not ready, when one component is not live', () => {
    const crashed = { live: false, ready: true };
    expect(combineHealth({ job, elasticsearch: crashed })).toMatchObject({ live: false, ready: false });
  });
});
