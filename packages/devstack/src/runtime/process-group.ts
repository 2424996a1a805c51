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
 * just the pid) matters for Elasticsearch, whose launcher starts the server JVM as a child.
 * Resolves to `'terminated'` or `'killed'`.
 */
export async function stopProcessGroup(
  pgid: number,
  timeoutMs: number,
  service: string,
): Promise<'terminated' | 'killed'> {
  if (!isGroupAlive(pgid)) return 'terminated';
  signalGroup(pgid, 'SIGTERM');
  if (await waitGone(pgid, timeoutMs)) return 'terminated';
  signalGroup(pgid, 'SIGKILL');
  if (await waitGone(pgid, 10_000)) return 'killed';
  throw new DevstackError(
    DEVSTACK_ERROR_CODES.STOP_FAILED,
    `${service} (process group ${pgid}) is still alive after SIGTERM and SIGKILL. Fix: inspect it with ` +
      `\`ps -o pid,stat,args -g ${pgid}\` and kill it by hand.`,
    { service },
  );
}

/** Groups to SIGKILL if this Node process exits without stopping them (crash, process.exit in a test runner). */
const orphans = new Set<number>();
let hooked = false;

/** Registers a group to be killed synchronously when this process exits. */
export function killOnExit(pgid: number): void {
  orphans.add(pgid);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const group of orphans) signalGroup(group, 'SIGKILL');
    });
  }
}

/** Removes a group from {@link killOnExit} (it was stopped, or deliberately left running with `--detach`). */
export function keepOnExit(pgid: number): void {
  orphans.delete(pgid);
}
