import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';

/** uid/gid of `nobody` on Debian/Ubuntu/RHEL when /etc/passwd cannot be read. */
const NOBODY = { uid: 65_534, gid: 65_534 } as const;

/** The user and group a server runs as when it is not run as ourselves. */
export interface RunAs {
  uid: number;
  gid: number;
}

/** True when this process runs as root (the servers then run as {@link unprivilegedUser}). */
export const isRoot = (uid: number | undefined = process.getuid?.()): boolean => uid === 0;

/**
 * The user Kafka and Elasticsearch run as: undefined when we are not root (run as ourselves), else `nobody` (ES
 * refuses to run as root, and neither server needs root's rights). Read from /etc/passwd.
 */
export async function unprivilegedUser(
  uid: number | undefined = process.getuid?.(),
  passwdFile = '/etc/passwd',
): Promise<RunAs | undefined> {
  if (!isRoot(uid)) return undefined;
  const passwd = await readFile(passwdFile, 'utf8').catch(() => '');
  const line = passwd.split('\n').find((l) => l.startsWith('nobody:'));
  const fields = line?.split(':');
  const u = Number(fields?.[2]);
  const g = Number(fields?.[3]);
  return Number.isInteger(u) && Number.isInteger(g) && u !== 0 ? { uid: u, gid: g } : { ...NOBODY };
}

/**
 * The first directory on the way to `path` (itself included) that other users cannot traverse (no `o+x`), or
 * undefined when `nobody` can reach it. Used before starting a server as `nobody`.
 */
export async function findUntraversable(path: string): Promise<string | undefined> {
  const parts = resolve(path).split(sep).filter(Boolean);
  let current: string = sep;
  for (const part of ['', ...parts]) {
    current = part === '' ? sep : join(current, part);
    const info = await stat(current).catch(() => undefined);
    if (info === undefined) return undefined;
    if (info.isDirectory() && (info.mode & 0o001) === 0) return current;
  }
  return undefined;
}

/**
 * Throws `TRIB_DEVSTACK_START_FAILED` when `runAs` cannot reach one of `paths` (the distribution, the service
 * directory): a directory on the way is not traversable by other users.
 */
export async function assertReachable(
  service: string,
  runAs: RunAs,
  paths: readonly string[],
): Promise<void> {
  for (const path of paths) {
    const blocked = await findUntraversable(path);
    if (blocked !== undefined) {
      throw new DevstackError(
        DEVSTACK_ERROR_CODES.START_FAILED,
        `${service} runs as uid ${runAs.uid} (not as root) and cannot reach ${path}: ${blocked} is not ` +
          `traversable by other users. Fix: \`chmod o+x ${blocked}\`, or keep the cache and data outside it ` +
          '(cacheDir / TRIBUTARY_DEVSTACK_CACHE, dataDir / TRIBUTARY_DEVSTACK_DATA).',
        { service },
      );
    }
  }
}
