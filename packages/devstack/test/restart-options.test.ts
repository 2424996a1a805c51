import { describe, expect, it } from 'vitest';
import { RESTART_OPTIONS, RESTART_SIGNAL_NAMES } from '../src/restart-options.js';

describe('restart options', () => {
  it('defaults to a clean shutdown and accepts SIGKILL', () => {
    expect(RESTART_OPTIONS.defaults.signal).toBe('SIGTERM');
    expect(RESTART_SIGNAL_NAMES).toEqual(['SIGTERM', 'SIGKILL']);
    expect(RESTART_OPTIONS.resolve().signal).toBe('SIGTERM');
    expect(RESTART_OPTIONS.resolve({ signal: 'SIGKILL' }).signal).toBe('SIGKILL');
  });

  it('rejects another signal naming the option', () => {
    expect(() => RESTART_OPTIONS.resolve({ signal: 'SIGHUP' as never })).toThrow(
      'signal must be term or kill (got "SIGHUP")',
    );
  });
});
