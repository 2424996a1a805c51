import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

/** uid/gid of `nobody` on Debian/Ubuntu/RHEL when /etc/passwd cannot be read. */
const NOBODY = { uid: 65_534, gid: 65_534 } as const;

/**
 * The user Elasticsearch runs as: undefined when we are not root (run as ourselves), else `nobody` (ES refuses to run
 * as root). Read from /etc/passwd.
 */
export async function elasticsearchRunAs(
  uid: number | undefined = process.getuid?.(),
  passwdFile = '/etc/passwd',
): Promise<{ uid: number; gid: number } | undefined> {
  if (uid !== 0) return undefined;
  const passwd = await readFile(passwdFile, 'utf8').catch(() => '');
  const line = passwd.split('\n').find((l) => l.startsWith('nobody:'));
  const fields = line?.split(':');
  const u = Number(fields?.[2]);
  const g = Number(fields?.[3]);
  return Number.isInteger(u) && Number.isInteger(g) && u !== 0 ? { uid: u, gid: g } : { ...NOBODY };
}

/**
 * The first directory on the way to `path` (itself included) that other users cannot traverse (no `o+x`), or
 * undefined when `nobody` can reach it. Used before starting Elasticsearch as `nobody`.
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
