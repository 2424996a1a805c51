import { option, z, type OptionInput } from '@tributary/options';
import { DEVSTACK_OPTIONS } from './options.js';

/** How a restart stops the server: a clean shutdown, or a crash. */
export const RESTART_SIGNALS = { SIGTERM: 'SIGTERM', SIGKILL: 'SIGKILL' } as const;
export type RestartSignal = (typeof RESTART_SIGNALS)[keyof typeof RESTART_SIGNALS];
/** Allowed values of the `signal` option, for validators and `--help`. */
export const RESTART_SIGNAL_NAMES: readonly RestartSignal[] = Object.values(RESTART_SIGNALS);

/** Options of {@link restartKafka} and {@link restartElasticsearch}: the devstack options (ports, cache…) plus `signal`. */
export const RESTART_OPTIONS = DEVSTACK_OPTIONS.extend({
  /**
   * `SIGTERM`: a clean shutdown, SIGKILL if it has not exited after `stopTimeoutMs`; `SIGKILL`: killed at once, as in
   * a crash (the server recovers its logs on the next start). Text may say `term`, `kill`, `sigkill`, any case.
   * @defaultValue `'SIGTERM'`
   */
  signal: option(
    z
      .preprocess(
        (value: RestartSignal) =>
          typeof value === 'string' ? `SIG${value.trim().toUpperCase().replace(/^SIG/, '')}` : value,
        z.enum(RESTART_SIGNALS, 'must be term or kill'),
      )
      .default(RESTART_SIGNALS.SIGTERM),
    '(restart) term: clean shutdown; kill: SIGKILL at once',
    { env: false, placeholder: 'term|kill', defaultText: 'term' },
  ),
});

export type RestartOptions = OptionInput<typeof RESTART_OPTIONS.specs>;
