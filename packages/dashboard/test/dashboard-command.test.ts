import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseDashboardCli } from '../src/dashboard-cli.js';
import { DASHBOARD_PROGRAM, runDashboardCommand, startLine } from '../src/dashboard-command.js';

function captureOutput(): { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  return { stdout: () => out, stderr: () => err };
}

describe('runDashboardCommand', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints help and exits 0', async () => {
    const io = captureOutput();
    expect(await runDashboardCommand(['--help'])).toBe(0);
    expect(io.stdout()).toContain('Usage: tributary-dashboard --metrics-url <url>');
  });

  it('exits 2 naming the flag at fault, prefixed with the command that runs it', async () => {
    const io = captureOutput();
    expect(await runDashboardCommand([])).toBe(2);
    expect(io.stderr()).toMatch(/^tributary-dashboard: --metrics-url must be the http\(s\) URL/);
    expect(
      await runDashboardCommand(['--port', 'x'], {
        command: 'tributary-processor dashboard',
        name: 'tributary-processor',
      }),
    ).toBe(2);
    expect(io.stderr()).toContain('tributary-processor dashboard: --port must be a number (got "x")');
    expect(io.stderr()).toContain('Run with --help for usage.');
  });

  it('shows no credential of any node, nor of the metrics URL, in the start line', () => {
    const runs: [string[], NodeJS.ProcessEnv][] = [
      [
        [
          '--metrics-url',
          'http://scrape:pw-metrics-1@127.0.0.1:9464/metrics',
          '--es-url',
          'https://elastic:pw-url-2@es-1:9200,https://elastic:pw-url-2@es-2:9200',
        ],
        {},
      ],
      [['--metrics-url', 'http://127.0.0.1:9464/metrics'], { TRIBUTARY_ES_API_KEY: 'key-4' }],
      [
        ['--metrics-url', 'http://127.0.0.1:9464/metrics', '--es-username', 'elastic'],
        { TRIBUTARY_ES_PASSWORD: 'pw-5' },
      ],
    ];
    for (const [argv, env] of runs) {
      const parsed = parseDashboardCli(argv, 'tributary-dashboard', env);
      if (parsed.kind !== 'run') throw new Error('expected a run');
      const line = startLine(DASHBOARD_PROGRAM, 'http://127.0.0.1:8081/', parsed);
      expect(line).toMatch(
        /^tributary-dashboard: dashboard at http:\/\/127\.0\.0\.1:8081\/ — metrics from http/,
      );
      expect(line).not.toMatch(/pw-metrics-1|pw-url-2|key-4|pw-5/);
    }
  });
});
