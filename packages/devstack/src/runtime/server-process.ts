import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';
import { tailFiles } from './log-tail.js';
import { openRegularFile } from './path-safety.js';
import { killOnExit, stopProcessGroup } from './process-group.js';
import { isRoot } from './unprivileged-user.js';

/** How to launch one server process and tell when it is healthy. */
export interface ServerLaunch {
  service: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user/group (when we are root: Elasticsearch refuses to run as root, Kafka needs no root rights). */
  uid?: number;
  gid?: number;
  /**
   * stdout and stderr of the process go here (appended). As root it is opened without following a link and must be
   * a plain file of root or of `uid`.
   */
  stdoutFile: string;
  /** Server logs tailed into the error when the start fails. */
  logFiles: readonly string[];
  /** Resolves true once the server answers as healthy; must not throw. */
  isHealthy: () => Promise<boolean>;
  timeoutMs: number;
  stopTimeoutMs: number;
  /** Lines of each log put into a start error. @defaultValue 30 */
  tailLines?: number;
  /** Polling interval of the health check. @defaultValue 200 */
  pollMs?: number;
  /**
   * Called once the process exists, before it is healthy (a restart records the new pid right away, so `down` finds
   * it even if this process dies while waiting). If it throws, the process is stopped and the error rethrown.
   */
  onSpawn?: (pid: number) => Promise<void>;
}

export interface LaunchedServer {
  /** Pid of the process, also its process group id (spawned detached). */
  pid: number;
  /** Milliseconds from spawn to the first successful health check. */
  startupMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Spawns a server in its own process group and waits until it is healthy. If it exits first, throws
 * `TRIB_DEVSTACK_START_FAILED` with the last lines of its logs; if it is not healthy in time, kills the group and throws
 * `TRIB_DEVSTACK_START_TIMEOUT`. The group is killed if this Node process exits without stopping it.
 */
export async function launchServer(launch: ServerLaunch): Promise<LaunchedServer> {
  const tailLines = launch.tailLines ?? 30;
  const logs = [...launch.logFiles, launch.stdoutFile];
  const appendFlags = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND;
  const stdout = isRoot()
    ? await openRegularFile(launch.stdoutFile, appendFlags, 0o644, [
        0,
        ...(launch.uid === undefined ? [] : [launch.uid]),
      ])
    : await open(launch.stdoutFile, 'a', 0o644);
  const started = performance.now();
  let exit: string | undefined;
  let child;
  try {
    child = spawn(launch.command, [...launch.args], {
      cwd: launch.cwd,
      env: launch.env ?? process.env,
      detached: true,
      stdio: ['ignore', stdout.fd, stdout.fd],
      ...(launch.uid === undefined ? {} : { uid: launch.uid }),
      ...(launch.gid === undefined ? {} : { gid: launch.gid }),
    });
    // Listening before anything is awaited: a spawn error (e.g. ENOENT) is emitted on the next tick.
    child.once('error', (error) => {
      exit = `could not be spawned: ${error.message}`;
    });
    child.once('exit', (code, signal) => {
      exit = signal === null ? `exited with code ${String(code)}` : `was killed by ${signal}`;
    });
  } finally {
    await stdout.close();
  }
  child.unref();
  // 'error' (e.g. ENOENT) is emitted on the next tick; give it a chance before polling.
  await sleep(0);
  const pid = child.pid;
  if (pid !== undefined) {
    killOnExit(pid);
    if (launch.onSpawn !== undefined) {
      try {
        await launch.onSpawn(pid);
      } catch (error) {
        await stopProcessGroup(pid, launch.stopTimeoutMs, launch.service);
        throw error;
      }
    }
  }

  for (;;) {
    if (exit !== undefined || pid === undefined) {
      const logTail = await tailFiles(logs, tailLines);
      throw new DevstackError(
        DEVSTACK_ERROR_CODES.START_FAILED,
        `${launch.service} ${exit ?? 'could not be spawned'} before it was healthy (${launch.command}). ` +
          `Fix: read the log lines below (full logs: ${logs.join(', ')}).\n${logTail.join('\n')}`,
        { service: launch.service, logTail },
      );
    }
    if (await launch.isHealthy()) return { pid, startupMs: Math.round(performance.now() - started) };
    if (performance.now() - started > launch.timeoutMs) {
      await stopProcessGroup(pid, launch.stopTimeoutMs, launch.service);
      const logTail = await tailFiles(logs, tailLines);
      throw new DevstackError(
        DEVSTACK_ERROR_CODES.START_TIMEOUT,
        `${launch.service} was not healthy after ${launch.timeoutMs} ms and was stopped. Fix: read the log lines ` +
          `below, or raise startTimeoutMs / --start-timeout-ms on a slow machine.\n${logTail.join('\n')}`,
        { service: launch.service, logTail, retriable: true },
      );
    }
    await sleep(launch.pollMs ?? 200);
  }
}
