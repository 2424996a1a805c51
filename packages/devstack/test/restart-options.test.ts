import { describe, expect, it } from 'vitest';
import { RESTART_DEFAULTS, RESTART_SIGNAL_NAMES, restartSignal } from '../src/restart-options.js';

describe('restart options', () => {
  it('defaults to a clean shutdown and accepts SIGKILL', () => {
    expect(RESTART_DEFAULTS.signal).toBe('SIGTERM');
    expect(RESTART_SIGNAL_NAMES).toEqual(['SIGTERM', 'SIGKILL']);
    expect(restartSignal(undefined)).toBe('SIGTERM');
    expect(restartSignal('SIGKILL')).toBe('SIGKILL');
  });

  it('rejects another signal naming the option', () => {
    expect(() => restartSignal('SIGHUP')).toThrow('signal must be one of SIGTERM, SIGKILL (got "SIGHUP")');
  });
});
