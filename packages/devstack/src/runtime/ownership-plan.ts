import type { PathInfo } from './path-safety.js';

/** Who owns an entry of a service directory when the devstack runs as root: root, or the user the server runs as. */
export type EntryOwner = 'root' | 'user';

/** One file or directory of a service directory and who must own it. */
export interface PlannedEntry {
  type: 'directory' | 'file';
  owner: EntryOwner;
}

/** What root does with an entry, given what is there now. */
export type EntryAction =
  /** Nothing there: create it (then hand it over when it is the user's). */
  | { action: 'create' }
  /** Already right. */
  | { action: 'keep' }
  /** A directory of the user that must be root's (left by an older devstack): `lchown` it to root. */
  | { action: 'reclaim' }
  /** A file of the user that must be root's: unlink it, then create it afresh. */
  | { action: 'replace' }
  /** Root's, must be the user's (left by an older devstack): `lchown` it, a directory with its whole tree. */
  | { action: 'hand-over' }
  | { action: 'refuse'; problem: string };

const WRITABLE_BY_OTHERS = 0o022;

/**
 * What to do with one entry of a service directory when running as root, the directory holding it being root's
 * (so nobody else can swap it meanwhile). Symbolic links, hard-linked files, other owners and root directories
 * others may write are refused; nothing is ever followed. Pure.
 */
export function planEntry(entry: PlannedEntry, existing: PathInfo | undefined, userUid: number): EntryAction {
  if (existing === undefined) return { action: 'create' };
  if (existing.isSymbolicLink) return { action: 'refuse', problem: 'is a symbolic link' };
  if (entry.type === 'directory' && !existing.isDirectory)
    return { action: 'refuse', problem: 'is not a directory' };
  if (entry.type === 'file' && !existing.isFile)
    return { action: 'refuse', problem: 'is not a regular file' };
  if (entry.type === 'file' && existing.nlink !== 1)
    return { action: 'refuse', problem: `has ${existing.nlink} hard links` };
  if (existing.uid !== 0 && existing.uid !== userUid) {
    return {
      action: 'refuse',
      problem: `is owned by uid ${existing.uid} (expected root or uid ${userUid}, the user the server runs as)`,
    };
  }
  if (entry.owner === 'user') return { action: existing.uid === userUid ? 'keep' : 'hand-over' };
  if (existing.uid === userUid) return { action: entry.type === 'directory' ? 'reclaim' : 'replace' };
  if (entry.type === 'directory' && (existing.mode & WRITABLE_BY_OTHERS) !== 0)
    return {
      action: 'refuse',
      problem: `is writable by group or others (mode ${existing.mode.toString(8)})`,
    };
  return { action: 'keep' };
}

/**
 * Whether an entry met while handing a tree over may be `lchown`ed (root's plain file or directory — its parent
 * is root's, so nobody swapped it), skipped (already the user's: nothing below is descended into) or must stop the
 * hand-over (a link, a device, another owner). Pure.
 */
export function handOverStep(info: PathInfo, userUid: number): 'lchown' | 'skip' | { problem: string } {
  if (info.isSymbolicLink) return { problem: 'is a symbolic link' };
  if (!info.isFile && !info.isDirectory) return { problem: 'is neither a regular file nor a directory' };
  if (info.uid === userUid) return 'skip';
  if (info.uid !== 0) return { problem: `is owned by uid ${info.uid}` };
  if (info.isFile && info.nlink !== 1) return { problem: `has ${info.nlink} hard links` };
  return 'lchown';
}
