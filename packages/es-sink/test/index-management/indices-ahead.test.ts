import { describe, expect, it } from 'vitest';
import { indicesAhead } from '../../src/index-management/indices-ahead.js';

describe('indicesAhead', () => {
  it("names today's and tomorrow's index of a daily pattern, once each", () => {
    expect(indicesAhead('metrics-{yyyy.MM.dd}', Date.UTC(2026, 11, 7, 12))).toEqual([
      'metrics-2026.12.07',
      'metrics-2026.12.08',
    ]);
    // late in the day the next hour is already tomorrow: still two names
    expect(indicesAhead('metrics-{yyyy.MM.dd}', Date.UTC(2026, 11, 31, 23, 30))).toEqual([
      'metrics-2026.12.31',
      'metrics-2027.01.01',
    ]);
  });

  it("names this hour's and the next hour's index of an hourly pattern", () => {
    expect(indicesAhead('m-{yyyy.MM.dd.HH}', Date.UTC(2026, 11, 7, 9, 59))).toEqual([
      'm-2026.12.07.09',
      'm-2026.12.07.10',
      'm-2026.12.08.09',
    ]);
  });

  it('names nothing for a constant index', () => {
    expect(indicesAhead('metrics', Date.UTC(2026, 0, 1))).toEqual([]);
  });
});
