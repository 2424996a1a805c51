import { describe, expect, it } from 'vitest';
import { parseDashboardCli } from '../src/dashboard-cli.js';

const METRICS = ['--metrics-url', 'http://127.0.0.1:9464/metrics'];

describe('parseDashboardCli', () => {
  it('maps flags onto the dashboard options', () => {
    const parsed = parseDashboardCli(
      [
        ...METRICS,
        '--es-url',
        'https://es-1:9200,https://es-2:9200',
        '--es-username',
        'viewer',
        '--index',
        'my-metrics',
        '--port',
        '0',
        '--top-pages-minutes',
        '10',
        '--no-elasticsearch',
      ],
      undefined,
      { TRIBUTARY_ES_PASSWORD: 'pw' },
    );
    expect(parsed).toMatchObject({
      kind: 'run',
      metricsUrl: 'http://127.0.0.1:9464/metrics',
      options: {
        esUrl: ['https://es-1:9200', 'https://es-2:9200'],
        esUsername: 'viewer',
        esPassword: 'pw',
        index: 'my-metrics',
        port: 0,
        topPagesMinutes: 10,
        elasticsearch: false,
      },
    });
    expect(parsed.kind === 'run' && 'metricsUrl' in parsed.options).toBe(false);
  });

  it('reads TRIBUTARY_DASHBOARD_* variables under the flags', () => {
    const env = {
      TRIBUTARY_DASHBOARD_PORT: '9000',
      TRIBUTARY_DASHBOARD_METRICS_URL: 'http://job:9464/metrics',
    };
    expect(parseDashboardCli([], undefined, env)).toMatchObject({
      metricsUrl: 'http://job:9464/metrics',
      options: { port: 9000 },
    });
    expect(parseDashboardCli(['--port', '9001'], undefined, env)).toMatchObject({ options: { port: 9001 } });
  });

  it('--help lists every flag with its variable and default', () => {
    const parsed = parseDashboardCli(['--help']);
    const text = parsed.kind === 'help' ? parsed.text : '';
    expect(text).toContain('--metrics-url <url>');
    expect(text).toMatch(
      /--top-pages-minutes <n> +top pages over the last N minutes \[TRIBUTARY_DASHBOARD_TOP_PAGES_MINUTES, default 5\]/,
    );
    expect(text).toContain('--no-elasticsearch');
    expect(text).toMatch(
      /--es-url <urls> +Elasticsearch node URLs, comma-separated \[TRIBUTARY_ES_URL, default/,
    );
    expect(text).toMatch(/--es-ca-file <file> .*\[TRIBUTARY_ES_CA_FILE\]/);
  });

  it('help names the command that runs it: tributary-dashboard, or a bin delegating to it', () => {
    const own = parseDashboardCli(['--help']);
    expect(own.kind === 'help' && own.text).toMatch(
      /^Usage: tributary-dashboard --metrics-url <url> \[options\]/,
    );
    const parsed = parseDashboardCli(['--help'], 'tributary-processor dashboard');
    expect(parsed.kind === 'help' && parsed.text).toMatch(
      /^Usage: tributary-processor dashboard --metrics-url <url> \[options\]/,
    );
  });

  it('names the flag or variable at fault', () => {
    expect(() => parseDashboardCli([], undefined, {})).toThrow(
      "--metrics-url must be the http(s) URL of a job's /metrics endpoint (got nothing)",
    );
    expect(() => parseDashboardCli(['--metrics-url', 'ftp://h/metrics'], undefined, {})).toThrow(
      '--metrics-url must be the http(s) URL',
    );
    expect(() => parseDashboardCli([...METRICS, '--port', '70000'], undefined, {})).toThrow(
      '--port must be <= 65535 (got "70000")',
    );
    expect(() => parseDashboardCli(METRICS, undefined, { TRIBUTARY_DASHBOARD_REFRESH_MS: '10' })).toThrow(
      'TRIBUTARY_DASHBOARD_REFRESH_MS must be >= 250 (got "10")',
    );
    expect(() => parseDashboardCli([...METRICS, '--colour', 'red'], undefined, {})).toThrow(
      expect.objectContaining({ code: 'TRIB_DASH_INVALID_OPTION', option: '--colour' }),
    );
    expect(() => parseDashboardCli([...METRICS, '--es-username', 'u'], undefined, {})).toThrow(
      expect.objectContaining({
        code: 'TRIB_DASH_INVALID_OPTION',
        message: expect.stringMatching(/^--es-username needs a password too: TRIBUTARY_ES_PASSWORD or/),
      }),
    );
    expect(() => parseDashboardCli(METRICS, undefined, { TRIBUTARY_ES_URL: 'ftp://u:pw-9@h' })).toThrow(
      'TRIBUTARY_ES_URL must list http(s) URLs like http://127.0.0.1:9200 (got "ftp://***:***@h")',
    );
    expect(() => parseDashboardCli([...METRICS, '--elasticsearch', 'false'], undefined, {})).toThrow(
      'false is not a flag: tributary-dashboard takes flags only',
    );
  });
});
