import { channel } from 'node:diagnostics_channel';

/**
 * Every diagnostics channel of the package, declared in one place. Publishing is free when nobody subscribes:
 * each call site checks `hasSubscribers` first.
 */
export const CHANNEL_NAMES = {
  progress: 'tributary:devstack:progress',
  started: 'tributary:devstack:started',
  stopped: 'tributary:devstack:stopped',
} as const;

/** Message of `tributary:devstack:progress`: one human-readable progress line. */
export interface ProgressMessage {
  line: string;
}

/** Message of `tributary:devstack:started`: a server is healthy (started, or found running and reused). */
export interface StartedMessage {
  service: string;
  port: number;
  version: string;
  startupMs: number;
  reused: boolean;
  pid: number | undefined;
}

/** Message of `tributary:devstack:stopped`. */
export interface StoppedMessage {
  service: string;
  port: number;
  pid: number;
  how: 'terminated' | 'killed';
}

export const channels = {
  progress: channel(CHANNEL_NAMES.progress),
  started: channel(CHANNEL_NAMES.started),
  stopped: channel(CHANNEL_NAMES.stopped),
} as const;

export function publish<K extends keyof typeof channels>(
  name: K,
  message: K extends 'progress' ? ProgressMessage : K extends 'started' ? StartedMessage : StoppedMessage,
): void {
  const channel = channels[name];
  if (channel.hasSubscribers) channel.publish(message);
}

/** Wraps the `log` option: each progress line goes to it and to `tributary:devstack:progress`. */
export function progressLogger(log: (line: string) => void): (line: string) => void {
  return (line) => {
    log(line);
    publish('progress', { line });
  };
}
