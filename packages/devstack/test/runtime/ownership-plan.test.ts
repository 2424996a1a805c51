import { describe, expect, it } from 'vitest';
import { handOverStep, planEntry } from '../../src/runtime/ownership-plan.js';
import type { PathInfo } from '../../src/runtime/path-safety.js';

const USER = 65_534;
const dir = (uid: number, mode = 0o755): PathInfo => ({
  isSymbolicLink: false,
  isDirectory: true,
  isFile: false,
  uid,
  gid: uid,
  mode,
  nlink: 2,
});
const file = (uid: number, nlink = 1): PathInfo => ({
  ...dir(uid, 0o644),
  isDirectory: false,
  isFile: true,
  nlink,
});
const link = (uid: number): PathInfo => ({ ...file(uid), isFile: false, isSymbolicLink: true });

describe('planEntry', () => {
  it('creates what is missing', () => {
    expect(planEntry({ type: 'directory', owner: 'user' }, undefined, USER)).toEqual({ action: 'create' });
    expect(planEntry({ type: 'file', owner: 'root' }, undefined, USER)).toEqual({ action: 'create' });
  });

  it('refuses a symbolic link wherever it is, whoever owns it', () => {
    for (const owner of ['root', 'user'] as const) {
      for (const type of ['directory', 'file'] as const) {
        for (const uid of [0, USER]) {
          expect(planEntry({ type, owner }, link(uid), USER)).toEqual({
            action: 'refuse',
            problem: 'is a symbolic link',
          });
        }
      }
    }
  });

  it('refuses the wrong kind of entry, hard-linked files and other owners', () => {
    expect(planEntry({ type: 'directory', owner: 'user' }, file(USER), USER)).toMatchObject({
      action: 'refuse',
      problem: 'is not a directory',
    });
    expect(planEntry({ type: 'file', owner: 'root' }, dir(0), USER)).toMatchObject({ action: 'refuse' });
    expect(planEntry({ type: 'file', owner: 'root' }, file(0, 2), USER)).toEqual({
      action: 'refuse',
      problem: 'has 2 hard links',
    });
    expect(planEntry({ type: 'directory', owner: 'user' }, dir(1000), USER)).toMatchObject({
      action: 'refuse',
      problem: expect.stringContaining('owned by uid 1000'),
    });
  });

  it("keeps the user's directories as they are and hands over root's", () => {
    expect(planEntry({ type: 'directory', owner: 'user' }, dir(USER), USER)).toEqual({ action: 'keep' });
    expect(planEntry({ type: 'directory', owner: 'user' }, dir(0), USER)).toEqual({ action: 'hand-over' });
    expect(planEntry({ type: 'file', owner: 'user' }, file(0), USER)).toEqual({ action: 'hand-over' });
  });

  it("takes back what must be root's from the user: a directory is reclaimed, a file replaced", () => {
    expect(planEntry({ type: 'directory', owner: 'root' }, dir(USER), USER)).toEqual({ action: 'reclaim' });
    expect(planEntry({ type: 'file', owner: 'root' }, file(USER), USER)).toEqual({ action: 'replace' });
    expect(planEntry({ type: 'file', owner: 'root' }, file(0), USER)).toEqual({ action: 'keep' });
  });

  it('refuses a root directory others may write into', () => {
    expect(planEntry({ type: 'directory', owner: 'root' }, dir(0, 0o777), USER)).toMatchObject({
      action: 'refuse',
      problem: expect.stringContaining('writable by group or others'),
    });
    expect(planEntry({ type: 'directory', owner: 'root' }, dir(0, 0o755), USER)).toEqual({ action: 'keep' });
  });
});

describe('handOverStep', () => {
  it("chowns root's plain entries, skips the user's and stops at anything else", () => {
    expect(handOverStep(dir(0), USER)).toBe('lchown');
    expect(handOverStep(file(0), USER)).toBe('lchown');
    expect(handOverStep(dir(USER), USER)).toBe('skip');
    expect(handOverStep(link(0), USER)).toEqual({ problem: 'is a symbolic link' });
    expect(handOverStep(file(0, 3), USER)).toEqual({ problem: 'has 3 hard links' });
    expect(handOverStep(file(1000), USER)).toEqual({ problem: 'is owned by uid 1000' });
    expect(handOverStep({ ...file(0), isFile: false }, USER)).toEqual({
      problem: 'is neither a regular file nor a directory',
    });
  });
});
