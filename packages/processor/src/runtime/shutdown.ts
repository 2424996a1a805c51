import type { StreamJob } from './stream-job.js';

export interface ShutdownOptions {
  readonly signals?: readonly NodeJS.Signals[];
  /** Called with the exit code once the job stopped; defaults to `process.exit`. */
  readonly exit?: (code: number) => void;
  /** Called with any error while stopping. */
  readonly onError?: (error: unknown) => void;
}

/**
 * SIGTERM / SIGINT: finish or abort the transaction in flight, disconnect the producers, leave the group, exit 0.
 * A second signal exits 1 at once. Returns a function that removes the handlers.
 */
export function installShutdownHandlers(
  job: Pick<StreamJob, 'stop'>,
  options: ShutdownOptions = {},
): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const handler = (): void => {
    if (stopping) {
      exit(1);
      return;
    }
    stopping = true;
    job.stop().then(
      () => exit(0),
      (error: unknown) => {
        options.onError?.(error);
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
