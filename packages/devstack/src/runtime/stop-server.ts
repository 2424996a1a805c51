import { rm, rmdir } from 'node:fs/promises';
import { publish } from '../diagnostics.js';
import { keepOnExit, stopProcessGroup } from './process-group.js';
import { removeState, type ServiceState } from './state-file.js';

/** Removes a service directory, and the data root when it became empty and the devstack created it. */
async function removeServiceDir(
  state: Pick<ServiceState, 'serviceDir' | 'dataRoot' | 'ownsDataRoot'>,
): Promise<void> {
  if (!state.ownsDataRoot) return;
  await rm(state.serviceDir, { recursive: true, force: true });
  await rmdir(state.dataRoot).catch(() => undefined);
}

/** Stops one server recorded in a state file and cleans up after it. */
export async function stopRecordedServer(
  cacheDir: string,
  state: ServiceState,
  stopTimeoutMs: number,
): Promise<void> {
  const how = await stopProcessGroup(state.pid, stopTimeoutMs, state.service);
  keepOnExit(state.pid);
  publish('stopped', { service: state.service, port: state.port, pid: state.pid, how });
  await removeState(cacheDir, state.service, state.port);
  await removeServiceDir(state);
}
