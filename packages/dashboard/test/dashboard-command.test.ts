import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDashboardCommand } from '../src/dashboard-command.js';

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
});
