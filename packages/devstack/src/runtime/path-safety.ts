import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';

/** What the checks need to know about a file or directory (from `lstat`/`fstat`, never following a link). */
export interface PathInfo {
  isSymbolicLink: boolean;
  isDirectory: boolean;
  isFile: boolean;
  uid: number;
  gid: number;
  /** Permission bits, with the sticky bit (0o1000). */
  mode: number;
  nlink: number;
}

export const pathInfo = (stats: Stats): PathInfo => ({
  isSymbolicLink: stats.isSymbolicLink(),
  isDirectory: stats.isDirectory(),
  isFile: stats.isFile(),
  uid: stats.uid,
  gid: stats.gid,
  mode: stats.mode & 0o7777,
  nlink: stats.nlink,
});

const STICKY = 0o1000;
const WRITABLE_BY_OTHERS = 0o022;

/**
 * Why a directory on the way to a path root writes into is not trustworthy: someone other than root could replace
 * what is below it. Root-owned, not writable by group or others — or sticky (like /tmp), where others cannot move
 * root's entries. A root-owned symbolic link is fine (only root made it); its target is checked on its own. Pure.
 */
export function untrustedComponentProblem(info: PathInfo): string | undefined {
  if (info.uid !== 0) return `is owned by uid ${info.uid}, not root`;
  if (info.isSymbolicLink) return undefined;
  if (!info.isDirectory) return 'is not a directory';
  if ((info.mode & WRITABLE_BY_OTHERS) !== 0 && (info.mode & STICKY) === 0)
    return `is writable by group or others (mode ${info.mode.toString(8)}) and not sticky`;
  return undefined;
}

/** Why an opened file root writes must not be written (undefined when it may). Pure. */
export function writableFileProblem(info: PathInfo, owners: readonly number[]): string | undefined {
  if (info.isSymbolicLink) return 'is a symbolic link';
  if (!info.isFile) return 'is not a regular file';
  if (info.nlink !== 1) return `has ${info.nlink} hard links`;
  if (!owners.includes(info.uid)) return `is owned by uid ${info.uid} (expected uid ${owners.join(' or ')})`;
  return undefined;
}

export function unsafePath(path: string, problem: string, fix: string): DevstackError {
  return new DevstackError(
    DEVSTACK_ERROR_CODES.UNSAFE_PATH,
    `Refusing to use ${path} as root: it ${problem}. ${fix}`,
    { path },
  );
}

/** The directories from `/` down to `path` itself. */
export function pathChain(path: string): string[] {
  const chain: string[] = [sep];
  let current: string = sep;
  for (const part of resolve(path).split(sep).filter(Boolean)) chain.push((current = join(current, part)));
  return chain;
}

/** `lstat` of `path` as a {@link PathInfo}; undefined when it does not exist. */
export async function lstatInfo(path: string): Promise<PathInfo | undefined> {
  try {
    return pathInfo(await lstat(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Throws `TRIB_DEVSTACK_UNSAFE_PATH` naming the first directory on the way to `dir` (itself included, as written
 * and with its links resolved) that someone other than root could change: only then may root create files in it
 * for another user. `dir` must exist.
 */
export async function assertTrustedDirectory(dir: string, what: string): Promise<void> {
  const real = await realpath(dir);
  for (const path of [...pathChain(dir), ...pathChain(real)]) {
    const info = await lstatInfo(path);
    const problem = info === undefined ? 'does not exist' : untrustedComponentProblem(info);
    if (problem !== undefined) {
      throw unsafePath(
        path,
        problem,
        `The ${what} ${dir} must lie in directories only root can change (root-owned, not writable by others ` +
          'unless sticky like /tmp). Fix: use a directory under /var/lib or /tmp, or run as an ordinary user.',
      );
    }
  }
}

/**
 * Opens a regular file for root without following a symbolic link in its last component
 * (`O_NOFOLLOW`, `O_NONBLOCK` so a FIFO cannot block us) and checks what was opened: a regular file with one link,
 * owned by one of `owners`. `flags` must not contain `O_TRUNC` (truncate after the check). The directory holding it
 * must be trusted ({@link assertTrustedDirectory} or created by us), so no other component can be swapped.
 */
export async function openRegularFile(
  path: string,
  flags: number,
  mode: number,
  owners: readonly number[],
): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'ENXIO' || code === 'EISDIR') {
      const info = await lstatInfo(path);
      const problem = info === undefined ? undefined : writableFileProblem(info, owners);
      throw unsafePath(path, problem ?? `cannot be opened (${code})`, 'Fix: remove it.');
    }
    throw error;
  }
  const problem = writableFileProblem(pathInfo(await handle.stat()), owners);
  if (problem !== undefined) {
    await handle.close();
    throw unsafePath(path, problem, 'Fix: remove it.');
  }
  return handle;
}

/**
 * Writes `content` to `path` as root, safely (see {@link openRegularFile}): created with `mode`, or an existing
 * plain file owned by one of `owners` truncated after the check; then owned by `handOverTo` when given (`fchown`).
 */
export async function writeFileSafely(
  path: string,
  content: string,
  options: { mode: number; owners: readonly number[]; handOverTo?: { uid: number; gid: number } | undefined },
): Promise<void> {
  const handle = await openRegularFile(
    path,
    constants.O_WRONLY | constants.O_CREAT,
    options.mode,
    options.owners,
  );
  try {
    await handle.truncate(0);
    await handle.writeFile(content);
    await handle.chmod(options.mode);
    if (options.handOverTo !== undefined) await handle.chown(options.handOverTo.uid, options.handOverTo.gid);
  } finally {
    await handle.close();
  }
}
