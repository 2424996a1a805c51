import { describe, expect, it } from 'vitest';
import { cpuPercent } from '../../src/resources/cpu-percent.js';

describe('cpuPercent', () => {
  it('is CPU time over wall time, in % of one core', () => {
    expect(cpuPercent(1000, 1500, 1000)).toBe(50);
    expect(cpuPercent(0, 3000, 1000)).toBe(300);
    expect(cpuPercent(10, 10, 1000)).toBe(0);
  });

  it('never goes negative and is 0 over no time', () => {
    expect(cpuPercent(500, 400, 1000)).toBe(0);
    expect(cpuPercent(0, 100, 0)).toBe(0);
  });
});
