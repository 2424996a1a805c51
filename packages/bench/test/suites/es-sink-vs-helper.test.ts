import { describe, expect, it } from 'vitest';
import { esSinkVsHelperSuite, renderBulkTable, type BulkRun } from '../../src/suites/es-sink-vs-helper.js';

const run = (docsPerSecond: number, p99Ms = 300, cpuUsPerDoc = 5): BulkRun => ({
  docsPerSecond,
  cpuUsPerDoc,
  ok: 1,
  failed: 0,
  p50Ms: 1,
  p99Ms,
  requests: 1,
});

describe('es-sink-vs-helper suite', () => {
  it('prints the spread of each contender and BulkSink paired with the helper run by run', () => {
    const lines = renderBulkTable({
      'window-results': {
        helper: [run(100), run(200), run(150)],
        sink: [run(110), run(180), run(150, 200, 4)],
      },
    }).split('\n');
    expect(lines[0]).toBe(
      '| workload | helpers.bulk docs/s median (min–max) | BulkSink docs/s median (min–max) | BulkSink / helpers.bulk (median paired) | p99 bulk ms helpers.bulk / BulkSink | client CPU µs/doc helpers.bulk / BulkSink |',
    );
    expect(lines[2]).toBe(
      '| window-results (3 runs) | 150 (100–200) | 150 (110–180) | 1.00× | 300.0 / 300.0 | 5.0 / 5.0 |',
    );
  });

  it('adds the baseline build as a third contender', () => {
    const lines = renderBulkTable({
      'enriched-events': { helper: [run(100)], sink: [run(120)], baseline: [run(60)] },
    }).split('\n');
    expect(lines[0]).toContain(
      'BulkSink (baseline) docs/s median (min–max) | BulkSink / helpers.bulk (median paired) | BulkSink / BulkSink (baseline) (median paired)',
    );
    expect(lines[2]).toBe(
      '| enriched-events (1 runs) | 100 (100–100) | 120 (120–120) | 60 (60–60) | 1.20× | 2.00× | 300.0 / 300.0 / 300.0 | 5.0 / 5.0 / 5.0 |',
    );
  });

  it('takes the shared Elasticsearch connection options: --es-url, TRIBUTARY_ES_*, files, CA', () => {
    const values = esSinkVsHelperSuite.options.parseCommandLine(
      ['--es-url', 'https://es-1:9200,https://es-2:9200'],
      {
        env: { TRIBUTARY_ES_API_KEY: 'key-1' },
      },
    ).values;
    expect(values).toMatchObject({ esUrl: ['https://es-1:9200', 'https://es-2:9200'], esApiKey: 'key-1' });
    expect(
      esSinkVsHelperSuite.options.parseCommandLine([], { env: { TRIBUTARY_ES_URL: 'http://x:1' } }).values
        .esUrl,
    ).toEqual(['http://x:1']);
    expect(() => esSinkVsHelperSuite.options.parseCommandLine(['--es-url', 'nope'], { env: {} })).toThrow(
      /^--es-url must list http\(s\) URLs/,
    );
    expect(() =>
      esSinkVsHelperSuite.options.parseCommandLine(['--es-username', 'u'], {
        env: { TRIBUTARY_ES_API_KEY: 'key-2' },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'TRIB_BENCH_INVALID_OPTION',
        message: expect.not.stringContaining('key-2'),
      }),
    );
  });
});
