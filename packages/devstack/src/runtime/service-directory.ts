import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { lchown, mkdir, open, readdir, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';
import { DEFAULT_PATH } from './child-environment.js';
import { handOverStep, planEntry, type EntryOwner } from './ownership-plan.js';
import { lstatInfo, openRegularFile, unsafePath } from './path-safety.js';
import type { RunAs } from './unprivileged-user.js';

/*
 * How root prepares a service directory for a server that runs as an unprivileged user. Root only ever creates,
 * truncates or chowns entries of directories that are root's (the service directory itself, inside a trusted data
 * directory), so the user cannot swap what root is about to touch; the user's own directories (data, logs, tmp,
 * config) are created by root and handed over, and root never writes inside them afterwards. Nothing is followed:
 * entries are checked with lstat, files opened with O_NOFOLLOW, ownership changed with lchown/fchown.
 */

const REFUSED_FIX =
  'Fix: remove it (or use a fresh dataDir / TRIBUTARY_DEVSTACK_DATA); the devstack never follows links or writes ' +
  'through entries it did not make.';

async function openDirectory(path: string) {
  return open(path, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
}

/**
 * Makes `path` a directory owned by `owner` (root, mode 755, or the user the server runs as): creates it, keeps it,
 * takes back a directory an older devstack gave the user, or hands over a root-owned one with its whole tree.
 * Throws `TRIB_DEVSTACK_UNSAFE_PATH` for a link, a file, another owner. Its parent must be root's.
 */
export async function prepareDirectory(path: string, owner: EntryOwner, runAs: RunAs): Promise<void> {
  const plan = planEntry({ type: 'directory', owner }, await lstatInfo(path), runAs.uid);
  switch (plan.action) {
    case 'keep':
      return;
    case 'create': {
      await mkdir(path, { mode: 0o755 });
      const handle = await openDirectory(path);
      try {
        await handle.chmod(0o755);
        if (owner === 'user') await handle.chown(runAs.uid, runAs.gid);
      } finally {
        await handle.close();
      }
      return;
    }
    case 'reclaim': {
      const handle = await openDirectory(path);
      try {
        await handle.chown(0, 0);
        await handle.chmod(0o755);
      } finally {
        await handle.close();
      }
      return;
    }
    case 'hand-over':
      await handOverTree(path, runAs);
      return;
    case 'replace':
      throw new Error(`unreachable: ${path}`);
    case 'refuse':
      throw unsafePath(path, plan.problem, REFUSED_FIX);
  }
}

/**
 * Makes `path` a plain file root may write (a root file: one the user had is removed first) or an existing file of
 * the user (created empty when missing, a root-owned one handed over with fchown). Its parent must be root's.
 */
export async function prepareFile(path: string, owner: EntryOwner, runAs: RunAs): Promise<void> {
  const plan = planEntry({ type: 'file', owner }, await lstatInfo(path), runAs.uid);
  if (plan.action === 'refuse') throw unsafePath(path, plan.problem, REFUSED_FIX);
  if (plan.action === 'replace') await unlink(path);
  if (owner === 'root' || plan.action === 'keep') return;
  const handle = await openRegularFile(path, constants.O_WRONLY | constants.O_CREAT, 0o644, [0]);
  try {
    await handle.chown(runAs.uid, runAs.gid);
  } finally {
    await handle.close();
  }
}

/**
 * Gives a root-owned tree to the user, post-order (a directory after its content) with lchown, refusing links and
 * foreign entries; parts already the user's are left as they are, unvisited.
 */
export async function handOverTree(path: string, runAs: RunAs): Promise<void> {
  const info = await lstatInfo(path);
  if (info === undefined) return;
  const step = handOverStep(info, runAs.uid);
  if (typeof step === 'object') throw unsafePath(path, step.problem, REFUSED_FIX);
  if (step === 'skip') return;
  if (info.isDirectory) {
    for (const name of await readdir(path)) await handOverTree(join(path, name), runAs);
  }
  await lchown(path, runAs.uid, runAs.gid);
}

/** Deletes everything inside `dir` as its owner (`find -delete`), so links planted there lead nowhere for root. */
function emptyAsOwner(dir: string, uid: number, gid: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'find',
      [dir, '-mindepth', '1', '-delete'],
      { uid, gid, cwd: '/', env: { PATH: DEFAULT_PATH }, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error === null) return resolve();
        reject(
          new DevstackError(
            DEVSTACK_ERROR_CODES.STOP_FAILED,
            `Could not delete the content of ${dir} as uid ${uid}, its owner: ${`${stdout}${stderr}`.trim() || error.message}`,
            { cause: error },
          ),
        );
      },
    );
  });
}

/**
 * Removes `path` as root without following anything: links and files are unlinked, root's directories descended
 * into, a directory of another user emptied as that user and then removed. Its parent must be root's.
 */
export async function removeTree(path: string): Promise<void> {
  const info = await lstatInfo(path);
  if (info === undefined) return;
  if (!info.isDirectory) {
    await unlink(path);
    return;
  }
  if (info.uid === 0 && (info.mode & 0o022) !== 0 && (info.mode & 0o1000) === 0) {
    throw unsafePath(path, `is writable by group or others (mode ${info.mode.toString(8)})`, REFUSED_FIX);
  }
  if (info.uid === 0) {
    for (const name of await readdir(path)) await removeTree(join(path, name));
  } else {
    await emptyAsOwner(path, info.uid, info.gid);
  }
  await rmdir(path);
}
