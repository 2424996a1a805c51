import { describe, expect, it } from 'vitest';
import { DASHBOARD_DEFAULTS, resolveDashboardOptions } from '../src/dashboard-options.js';

describe('resolveDashboardOptions', () => {
  it('defaults to DASHBOARD_DEFAULTS; strings from flags become numbers; a trailing slash is dropped', () => {
    expect(resolveDashboardOptions()).toEqual(DASHBOARD_DEFAULTS);
    const o = resolveDashboardOptions({
      port: '0',
      elasticsearchUrl: 'http://es:9200/',
      topPagesMinutes: '15',
    });
    expect(o).toMatchObject({ port: 0, elasticsearchUrl: 'http://es:9200', topPagesMinutes: 15 });
  });

  it('takes the input stage and whether Elasticsearch is on (booleans or their flag strings)', () => {
    expect(resolveDashboardOptions()).toMatchObject({ inputStage: undefined, elasticsearch: true });
    expect(resolveDashboardOptions({ inputStage: 'app', elasticsearch: 'false' })).toMatchObject({
      inputStage: 'app',
      elasticsearch: false,
    });
    expect(resolveDashboardOptions({ elasticsearch: false }).elasticsearch).toBe(false);
  });

  it.each([
    [{ port: 70_000 }, 'port must be an integer from 0 to 65535'],
    [{ port: 'http' }, 'port must be an integer'],
    [{ elasticsearchUrl: 'es:9200' }, 'elasticsearchUrl must be an http(s) URL'],
    [{ index: 'Upper' }, 'index must be a non-empty string matching'],
    [{ refreshMs: 10 }, 'refreshMs must be an integer from 250'],
    [{ chartMinutes: 1 }, 'chartMinutes must be an integer from 2'],
    [{ inputTopic: 'a b' }, 'inputTopic must be a non-empty string matching'],
    [{ inputStage: '' }, 'inputStage must be a non-empty string matching'],
    [{ elasticsearch: 'no' }, 'elasticsearch must be true or false'],
    [{ sampleIntervalMs: 5_000, rateWindowMs: 2_000 }, 'rateWindowMs must be at least sampleIntervalMs'],
    [{ title: '' }, 'title must be a non-empty string'],
    [{ colour: 'red' }, 'colour is not a dashboard option'],
  ])('rejects %j naming the option', (input, message) => {
    expect(() => resolveDashboardOptions(input as never)).toThrow(
      expect.objectContaining({
        code: 'TRIB_DASH_INVALID_OPTION',
        message: expect.stringContaining(message),
      }),
    );
  });
});
