import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True while any process of the group `pgid` exists (servers are spawned detached: pgid = leader pid). */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

async function waitGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isGroupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

/**
 * Stops a whole process group: SIGTERM, wait up to `timeoutMs`, then SIGKILL and wait again. Killing the group (not
 * just the pid) matters for Elasticsearch, whose launcher starts the server JVM as a child. With `signal: 'SIGKILL'`
 * the group is killed at once (a crash, for chaos tests). Resolves to `'terminated'` or `'killed'`.
 */
export async function stopProcessGroup(
  pgid: number,
  timeoutMs: number,
  service: string,
  signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM',
): Promise<'terminated' | 'killed'> {
  if (!isGroupAlive(pgid)) return 'terminated';
  if (signal === 'SIGTERM') {
    signalGroup(pgid, 'SIGTERM');
    if (await waitGone(pgid, timeoutMs)) return 'terminated';
  }
  signalGroup(pgid, 'SIGKILL');
  if (await waitGone(pgid, 10_000)) return 'killed';
  throw new DevstackError(
    DEVSTACK_ERROR_CODES.STOP_FAILED,
    `${service} (process group ${pgid}) is still alive after SIGTERM and SIGKILL. Fix: inspect it with ` +
      `\`ps -o pid,stat,args -g ${pgid}\` and kill it by hand.`,
    { service },
  );
}

/**
 * Groups to SIGKILL if this Node process exits without stopping them (crash, process.exit in a test runner), each
 * with an optional synchronous lookup of the group that replaced it (a server restarted by another process).
 */
const orphans = new Map<number, (() => number | undefined) | undefined>();
let hooked = false;

/**
 * Registers a group to be killed synchronously when this process exits. `successor`, called at exit, may name the
 * group now serving in its place (read from the state file after a restart); that group is killed too.
 */
export function killOnExit(pgid: number, successor?: () => number | undefined): void {
  orphans.set(pgid, successor ?? orphans.get(pgid));
  if (!hooked) {
    hooked = true;
    process.once('exit', killRegisteredGroups);
  }
}

/** What the exit hook does: SIGKILLs every registered group and the successor each one names. Synchronous. */
export function killRegisteredGroups(): void {
  for (const [group, successor] of orphans) {
    signalGroup(group, 'SIGKILL');
    let next: number | undefined;
    try {
      next = successor?.();
    } catch {
      next = undefined;
    }
    if (next !== undefined && next !== group) signalGroup(next, 'SIGKILL');
  }
}

/** Removes a group from {@link killOnExit} (it was stopped, or deliberately left running with `--detach`). */
export function keepOnExit(pgid: number): void {
  orphans.delete(pgid);
}
