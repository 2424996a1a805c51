import { readFile } from 'node:fs/promises';
import { isGroupAlive } from './process-group.js';

/**
 * True when process group `pgid` is alive and its leader still looks like the server we started (its command line
 * contains `marker`), so a pid recycled by an unrelated process is never signalled.
 */
export async function isOurServer(pgid: number, marker: string): Promise<boolean> {
  if (!isGroupAlive(pgid)) return false;
  const cmdline = await readFile(`/proc/${pgid}/cmdline`, 'utf8').catch(() => undefined);
  // Leader gone but group alive: Linux never reuses a pid still in use as a process group id, so it is ours.
  if (cmdline === undefined) return true;
  return cmdline.includes(marker);
}

/** Marker found in the command line of each server's process group leader. */
export const SERVER_MARKERS = {
  kafka: 'tributary.devstack=kafka',
  elasticsearch: 'bin/elasticsearch',
} as const;
