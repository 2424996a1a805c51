import { describe, expect, it } from 'vitest';
import { throughputFigures } from '../../../src/suites/processor-vs-kafkajs/child-watch.js';

describe('throughputFigures', () => {
  it('rates from the first observed progress (group join), CPU of the child over the same span', () => {
    const f = throughputFigures('count exactly-once', 1_000_000, {
      spawnedAt: 0,
      startCpuSec: 0.2,
      first: { at: 2000, done: 0, cpuSec: 1.2 },
      last: { at: 4000, done: 1_000_000, cpuSec: 3.7 },
      peakRssMb: 581.4,
    });
    expect(f).toMatchObject({
      records: 1_000_000,
      totalSec: 4,
      recordsPerSecTotal: 250_000,
      steadySec: 2,
      recordsPerSec: 500_000,
      cpuSecTotal: 3.5,
      cpuPercent: 125,
      recordsPerCpuSec: 400_000,
      peakRssMb: 581,
    });
  });
});
