import { invalidOption } from './errors.js';
import type { DevstackOptions } from './options.js';

/** How a restart stops the server: a clean shutdown, or a crash. */
export const RESTART_SIGNALS = { SIGTERM: 'SIGTERM', SIGKILL: 'SIGKILL' } as const;
export type RestartSignal = (typeof RESTART_SIGNALS)[keyof typeof RESTART_SIGNALS];
/** Allowed values of the `signal` option, for validators and `--help`. */
export const RESTART_SIGNAL_NAMES: readonly RestartSignal[] = Object.values(RESTART_SIGNALS);

/** Options of {@link restartKafka} and {@link restartElasticsearch}: the devstack options (ports, cache…) plus `signal`. */
export interface RestartOptions extends DevstackOptions {
  /**
   * `SIGTERM`: a clean shutdown, SIGKILL if it has not exited after `stopTimeoutMs`; `SIGKILL`: killed at once, as in
   * a crash (the server recovers its logs on the next start). @defaultValue `'SIGTERM'`
   */
  signal?: RestartSignal;
}

export const RESTART_DEFAULTS = { signal: RESTART_SIGNALS.SIGTERM } as const;

/** Validates the `signal` option. */
export function restartSignal(value: unknown): RestartSignal {
  if (value === undefined) return RESTART_DEFAULTS.signal;
  if (!RESTART_SIGNAL_NAMES.includes(value as RestartSignal)) {
    throw invalidOption(
      'signal',
      `must be one of ${RESTART_SIGNAL_NAMES.join(', ')} (got ${JSON.stringify(value)})`,
    );
  }
  return value as RestartSignal;
}
