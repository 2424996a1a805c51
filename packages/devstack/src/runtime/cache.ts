import { access, chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';

/** Written last into a cache entry: its presence means the entry is complete. */
export const CACHE_MARKER = '.tributary-complete';

/** True when `<cacheDir>/<name>` holds a complete entry. */
export async function isCached(cacheDir: string, name: string): Promise<boolean> {
  return access(join(cacheDir, name, CACHE_MARKER)).then(
    () => true,
    () => false,
  );
}

/**
 * Returns `<cacheDir>/<name>`, populating it first when it is not complete. `populate` fills a private temporary
 * directory which is then renamed into place, so concurrent resolvers never see half an entry (the loser of the
 * race drops its copy and uses the winner's).
 */
export async function resolveIntoCache(
  cacheDir: string,
  name: string,
  populate: (dir: string) => Promise<void>,
): Promise<{ dir: string; downloaded: boolean }> {
  const dir = join(cacheDir, name);
  if (await isCached(cacheDir, name)) return { dir, downloaded: false };
  try {
    await mkdir(cacheDir, { recursive: true, mode: 0o755 });
    // Elasticsearch runs as `nobody` when we are root: the cache must be traversable.
    await chmod(cacheDir, 0o755);
  } catch (error) {
    throw new DevstackError(
      (error as NodeJS.ErrnoException).code === 'ENOSPC'
        ? DEVSTACK_ERROR_CODES.DISK_FULL
        : DEVSTACK_ERROR_CODES.RESOLVE_FAILED,
      `Cannot create the cache directory ${cacheDir}: ${(error as Error).message}. Fix: pass a writable cacheDir ` +
        '(or set TRIBUTARY_DEVSTACK_CACHE).',
      { cause: error },
    );
  }
  const temp = join(cacheDir, `.${name}.tmp-${process.pid}-${Date.now()}`);
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true, mode: 0o755 });
  try {
    await populate(temp);
    await writeFile(join(temp, CACHE_MARKER), `${new Date().toISOString()}\n`);
    // Another resolver finished first: use its entry (never delete a complete one, a server may be using it).
    if (await isCached(cacheDir, name)) return { dir, downloaded: false };
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    try {
      await rename(temp, dir);
    } catch (error) {
      if (!(await isCached(cacheDir, name))) throw error;
    }
    return { dir, downloaded: true };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * Makes a cache entry being built readable (and its directories traversable) by everyone: the servers run as
 * `nobody` when we are root. Files in `bin/` and `.so` libraries stay executable.
 */
export async function makeWorldReadable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makeWorldReadable(path);
    else if (entry.isFile())
      await chmod(path, dir.endsWith('/bin') || entry.name.endsWith('.so') ? 0o755 : 0o644);
  }
}
