import { describe, expect, it } from 'vitest';
import { dashboardHelpText, parseDashboardCli } from '../src/dashboard-cli.js';

describe('parseDashboardCli', () => {
  it('maps flags onto the dashboard options', () => {
    const parsed = parseDashboardCli([
      '--metrics-url',
      'http://127.0.0.1:9464/metrics',
      '--elasticsearch-url',
      'http://es:9200',
      '--index',
      'my-metrics',
      '--port',
      '0',
      '--top-pages-minutes',
      '10',
    ]);
    expect(parsed).toMatchObject({
      kind: 'run',
      metricsUrl: 'http://127.0.0.1:9464/metrics',
      options: { elasticsearchUrl: 'http://es:9200', index: 'my-metrics', port: 0, topPagesMinutes: 10 },
    });
  });

  it('--help lists every flag', () => {
    const parsed = parseDashboardCli(['--help']);
    expect(parsed.kind).toBe('help');
    expect(dashboardHelpText()).toContain('--metrics-url <url>');
    expect(dashboardHelpText()).toContain('--top-pages-minutes <value>');
  });

  it('help names the command that runs it: tributary-dashboard, or a bin delegating to it', () => {
    expect(dashboardHelpText()).toMatch(/^Usage: tributary-dashboard --metrics-url <url> \[options\]/);
    const parsed = parseDashboardCli(['--help'], 'tributary-processor dashboard');
    expect(parsed.kind === 'help' && parsed.text).toMatch(
      /^Usage: tributary-processor dashboard --metrics-url <url> \[options\]/,
    );
  });

  it('names the flag at fault', () => {
    expect(() => parseDashboardCli([])).toThrow(/--metrics-url must be the http\(s\) URL/);
    expect(() => parseDashboardCli(['--metrics-url', 'http://h/metrics', '--port', '70000'])).toThrow(
      /--port must be an integer from 0 to 65535/,
    );
    expect(() => parseDashboardCli(['--metrics-url', 'http://h/metrics', '--colour', 'red'])).toThrow(
      expect.objectContaining({ code: 'TRIB_DASH_INVALID_OPTION', option: '--colour' }),
    );
  });
});
