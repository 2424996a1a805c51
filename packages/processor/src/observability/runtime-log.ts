import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Logger } from '@tributary/observability';
import { RUNTIME_CHANNELS } from '../runtime/diagnostics.js';

type Handler = (message: unknown) => void;

function errorFields(error: unknown): { err: { message: string; code?: string; type?: string } } {
  const e = error as { message?: unknown; code?: unknown; name?: unknown };
  return {
    err: {
      message: typeof e?.message === 'string' ? e.message : String(error),
      ...(typeof e?.code === 'string' ? { code: e.code } : {}),
      ...(typeof e?.name === 'string' ? { type: e.name } : {}),
    },
  };
}

/**
 * Writes the runtime's diagnostics events as structured log lines: assignments and restores (info), failed commits
 * and stage restarts (warn), table loads (info), every commit (trace). `stages` limits the lines to this job's
 * stages (other jobs in the process publish on the same channels). Returns the unsubscribe function.
 */
export function logRuntimeEvents(logger: Logger, stages: () => ReadonlySet<string>): () => void {
  const mine = (m: unknown): m is Record<string, unknown> =>
    typeof m === 'object' && m !== null && stages().has(String((m as { stage?: unknown }).stage));
  const handlers: [{ name: string | symbol }, Handler][] = [
    [
      RUNTIME_CHANNELS.assignment,
      (m) => {
        if (mine(m))
          logger.info(
            { stage: m['stage'], assigned: m['assigned'], added: m['added'], revoked: m['revoked'] },
            'partitions assigned',
          );
      },
    ],
    [
      RUNTIME_CHANNELS.restore,
      (m) => {
        if (mine(m))
          logger.info(
            {
              stage: m['stage'],
              partitions: m['partitions'],
              records: m['records'],
              durationMs: m['durationMs'],
            },
            'tasks restored from changelogs',
          );
      },
    ],
    [
      RUNTIME_CHANNELS.commitFailed,
      (m) => {
        if (mine(m))
          logger.warn(
            { stage: m['stage'], topic: m['topic'], partition: m['partition'], ...errorFields(m['error']) },
            'commit failed, transaction aborted',
          );
      },
    ],
    [
      RUNTIME_CHANNELS.stageRestart,
      (m) => {
        if (mine(m))
          logger.warn(
            { stage: m['stage'], attempt: m['attempt'], ...errorFields(m['error']) },
            'stage restarting',
          );
      },
    ],
    [
      RUNTIME_CHANNELS.tableLoaded,
      (m) => {
        if (typeof m === 'object' && m !== null) logger.info({ ...(m as object) }, 'table loaded');
      },
    ],
  ];
  if (logger.isLevelEnabled('trace')) {
    handlers.push([
      RUNTIME_CHANNELS.commit,
      (m) => {
        if (mine(m))
          logger.trace(
            {
              stage: m['stage'],
              partition: m['partition'],
              offset: m['offset'],
              messages: m['messages'],
              durationMs: m['durationMs'],
            },
            'committed',
          );
      },
    ]);
  }
  for (const [ch, handler] of handlers) subscribe(ch.name, handler);
  return () => {
    for (const [ch, handler] of handlers) unsubscribe(ch.name, handler);
  };
}
