import { describe, expect, it } from 'vitest';
import { RUN_OPTIONS } from '../../src/cli/run-options.js';
import { scenarioMethod, scenarioRuns, scenarioWorkload } from '../../src/scenarios/run-scenario.js';

describe('figures scenarios from run options', () => {
  const options = RUN_OPTIONS.resolve({ runs: 3, loadDurationMs: 4000, peerRecords: 50_000 });

  it('run --runs times, except max-throughput which searches once', () => {
    expect(scenarioRuns('gateway', options)).toBe(3);
    expect(scenarioRuns('max-throughput', options)).toBe(1);
  });

  it('describe their workload', () => {
    expect(scenarioWorkload('gateway', options)).toMatchObject({
      scenario: 'gateway',
      ratePerSec: 10_000,
      durationMs: 4000,
      params: { coordinatedOmissionCorrection: false, eventsPerRequest: 50 },
    });
    expect(scenarioWorkload('queries', options).params.coordinatedOmissionCorrection).toBe(false);
    expect(scenarioWorkload('peers', options).params).toMatchObject({ records: 50_000, documents: 10_000 });
    expect(scenarioWorkload('max-throughput', options)).toMatchObject({ ratePerSec: null, runs: 1 });
  });

  it('say that autocannon ran with its correction off', () => {
    expect(scenarioMethod('gateway')[0]).toMatch(/ignoreCoordinatedOmission: true/);
    expect(scenarioMethod('queries')).toEqual(scenarioMethod('gateway'));
  });
});
