import { rm, rmdir } from 'node:fs/promises';
import { publish } from '../diagnostics.js';
import { isGroupAlive, keepOnExit, killOnExit, stopProcessGroup } from './process-group.js';
import { isOurServer, SERVER_MARKERS } from './process-identity.js';
import { removeTree } from './service-directory.js';
import { readState, readStateSync, removeState, successorPid, type ServiceState } from './state-file.js';
import { isRoot } from './unprivileged-user.js';

/**
 * Removes a service directory, and the data root when it became empty and the devstack created it. As root,
 * without following anything: the directories of the user a server ran as are emptied as that user.
 */
async function removeServiceDir(
  state: Pick<ServiceState, 'serviceDir' | 'dataRoot' | 'ownsDataRoot'>,
): Promise<void> {
  if (!state.ownsDataRoot) return;
  if (isRoot()) await removeTree(state.serviceDir);
  else await rm(state.serviceDir, { recursive: true, force: true });
  await rmdir(state.dataRoot).catch(() => undefined);
}

/**
 * Stops one server recorded in a state file and cleans up after it. `state` may be out of date: when the state file
 * now names another live process of the same server (it was restarted, maybe by another process), that one is
 * stopped too, so a handle taken before a restart never leaves the restarted JVM behind.
 */
export async function stopRecordedServer(
  cacheDir: string,
  state: ServiceState,
  stopTimeoutMs: number,
  log: (line: string) => void = () => {},
): Promise<void> {
  const next = successorPid(state, await readState(cacheDir, state.service, state.port));
  const pids = [state.pid];
  if (next !== undefined && isOurServer(next, SERVER_MARKERS[state.service])) pids.push(next);
  for (const pid of pids) {
    const alive = isGroupAlive(pid);
    if (alive) log(`[${state.service}] stopping pid ${pid}`);
    const how = await stopProcessGroup(pid, stopTimeoutMs, state.service);
    keepOnExit(pid);
    if (alive) publish('stopped', { service: state.service, port: state.port, pid, how });
  }
  await removeState(cacheDir, state.service, state.port);
  await removeServiceDir(state);
}

/**
 * Kills the server of `state` if this process exits without stopping it, and also the process that replaced it when
 * it was restarted (the state file is read at exit), unless that one was detached on purpose.
 */
export function killOnExitWithRestarts(cacheDir: string, state: ServiceState): void {
  killOnExit(state.pid, () => {
    const latest = readStateSync(cacheDir, state.service, state.port);
    const next = successorPid(state, latest);
    if (next === undefined || latest?.detached === true) return undefined;
    return isOurServer(next, SERVER_MARKERS[state.service]) ? next : undefined;
  });
}
