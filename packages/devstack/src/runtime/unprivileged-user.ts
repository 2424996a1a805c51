import { readFile } from 'node:fs/promises';

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
