import { readFileSync } from 'node:fs';
import type { Service } from '../options.js';
import { isGroupAlive } from './process-group.js';
import { readState, removeState, type ServiceState } from './state-file.js';

/**
 * True when process group `pgid` is alive and its leader still looks like the server we started (its command line
 * contains `marker`), so a pid recycled by an unrelated process is never signalled. Synchronous (one small read from
 * /proc) so that exit hooks can use it.
 */
export function isOurServer(pgid: number, marker: string): boolean {
  if (!isGroupAlive(pgid)) return false;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pgid}/cmdline`, 'utf8');
  } catch {
    // Leader gone but group alive: Linux never reuses a pid still in use as a process group id, so it is ours.
    return true;
  }
  return cmdline.includes(marker);
}

/** Marker found in the command line of each server's process group leader. */
export const SERVER_MARKERS = {
  kafka: 'tributary.devstack=kafka',
  elasticsearch: 'bin/elasticsearch',
} as const;

/** The state file of the server of `service` on `port` when its process is still ours; a stale one is removed. */
export async function readLiveState(
  cacheDir: string,
  service: Service,
  port: number,
): Promise<ServiceState | undefined> {
  const state = await readState(cacheDir, service, port);
  if (state === undefined) return undefined;
  if (isOurServer(state.pid, SERVER_MARKERS[service])) return state;
  await removeState(cacheDir, service, port);
  return undefined;
}
