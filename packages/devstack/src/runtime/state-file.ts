import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Service } from '../options.js';

/** What `up` records about a server it started, so `down`, `logs` and `status` work from another process. */
export interface ServiceState {
  service: Service;
  version: string;
  port: number;
  /** Kafka controller port or Elasticsearch transport port. */
  secondaryPort: number;
  /** Pid and process group id of the server. */
  pid: number;
  /** The server's own directory (config, data, logs). */
  serviceDir: string;
  /** The devstack data directory holding `serviceDir`. */
  dataRoot: string;
  /** Whether the data directory is a temporary one the devstack created (removed on stop). */
  ownsDataRoot: boolean;
  logFiles: string[];
  startedAt: string;
  startupMs: number;
  /** Pid of the process that started it; `detached` when it was left running on purpose. */
  ownerPid: number;
  detached: boolean;
}

/** Directory of the state files: `<cacheDir>/run`. */
export const stateDir = (cacheDir: string): string => join(cacheDir, 'run');

/** State file of the server of `service` on `port`. */
export const statePath = (cacheDir: string, service: Service, port: number): string =>
  join(stateDir(cacheDir), `${service}-${port}.json`);

export async function writeState(cacheDir: string, state: ServiceState): Promise<void> {
  await mkdir(stateDir(cacheDir), { recursive: true });
  const path = statePath(cacheDir, state.service, state.port);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, path);
}

/** The state of the server of `service` on `port`, or undefined when there is none (or it is unreadable). */
export async function readState(
  cacheDir: string,
  service: Service,
  port: number,
): Promise<ServiceState | undefined> {
  try {
    const state = JSON.parse(await readFile(statePath(cacheDir, service, port), 'utf8')) as ServiceState;
    return typeof state.pid === 'number' && state.service === service ? state : undefined;
  } catch {
    return undefined;
  }
}

export async function removeState(cacheDir: string, service: Service, port: number): Promise<void> {
  await rm(statePath(cacheDir, service, port), { force: true });
}
