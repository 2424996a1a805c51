import { describe, expect, it } from 'vitest';
import { DASHBOARD_OPTIONS, resolveDashboardOptions } from '../src/dashboard-options.js';

describe('resolveDashboardOptions', () => {
  it('defaults to DASHBOARD_OPTIONS.defaults', () => {
    expect(resolveDashboardOptions()).toEqual(DASHBOARD_OPTIONS.defaults);
    expect(DASHBOARD_OPTIONS.defaults).toMatchObject({
      port: 8088,
      index: 'clickstream-metrics',
      refreshMs: 1_500,
    });
    const o = resolveDashboardOptions({ port: 0, esUrl: 'http://es:9200/', topPagesMinutes: 15 });
    expect(o).toMatchObject({ port: 0, esUrl: ['http://es:9200/'], topPagesMinutes: 15 });
  });

  it('takes the input stage and whether Elasticsearch is on', () => {
    expect(resolveDashboardOptions().inputStage).toBeUndefined();
    expect(resolveDashboardOptions().elasticsearch).toBe(true);
    expect(resolveDashboardOptions({ inputStage: 'app', elasticsearch: false })).toMatchObject({
      inputStage: 'app',
      elasticsearch: false,
    });
  });

  it.each([
    [{ port: 70_000 }, 'port must be <= 65535 (got 70000)'],
    [{ port: 'http' }, 'port must be a number (got "http")'],
    [{ port: 1.5 }, 'port must be an integer (got 1.5)'],
    [{ esUrl: 'es:9200' }, 'esUrl must list http(s) URLs like http://127.0.0.1:9200 (got "es:9200")'],
    [{ esApiKey: 'k', esUsername: 'u', esPassword: 'p' }, 'esApiKey cannot be used with --es-username'],
    [{ index: 'Upper' }, 'index must match /^[a-z0-9]'],
    [{ refreshMs: 10 }, 'refreshMs must be >= 250 (got 10)'],
    [{ chartMinutes: 1 }, 'chartMinutes must be >= 2 (got 1)'],
    [{ inputTopic: 'a b' }, 'inputTopic must match'],
    [{ inputStage: '' }, 'inputStage must match'],
    [{ elasticsearch: 'no' }, 'elasticsearch must be a boolean (got "no")'],
    [
      { sampleIntervalMs: 5_000, rateWindowMs: 2_000 },
      'rateWindowMs must be at least sampleIntervalMs (5000)',
    ],
    [{ title: '' }, 'title must not be empty (got "")'],
    [{ colour: 'red' }, 'colour is not an option of the dashboard'],
  ])('rejects %j naming the option', (input, message) => {
    expect(() => resolveDashboardOptions(input as never)).toThrow(
      expect.objectContaining({
        code: 'TRIB_DASH_INVALID_OPTION',
        message: expect.stringContaining(message),
      }),
    );
  });
});
