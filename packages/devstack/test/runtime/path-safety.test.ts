import { constants } from 'node:fs';
import { chmod, link, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assertTrustedDirectory,
  openRegularFile,
  pathChain,
  untrustedComponentProblem,
  writableFileProblem,
  writeFileSafely,
  type PathInfo,
} from '../../src/runtime/path-safety.js';

const me = process.getuid!();
const info = (over: Partial<PathInfo>): PathInfo => ({
  isSymbolicLink: false,
  isDirectory: true,
  isFile: false,
  uid: 0,
  gid: 0,
  mode: 0o755,
  nlink: 2,
  ...over,
});

describe('untrustedComponentProblem', () => {
  it('trusts root directories others cannot write, sticky ones and root symbolic links', () => {
    expect(untrustedComponentProblem(info({}))).toBeUndefined();
    expect(untrustedComponentProblem(info({ mode: 0o1777 }))).toBeUndefined();
    expect(untrustedComponentProblem(info({ isDirectory: false, isSymbolicLink: true, mode: 0o777 }))).toBe(
      undefined,
    );
  });

  it('distrusts other owners and writable directories', () => {
    expect(untrustedComponentProblem(info({ uid: 1000 }))).toBe('is owned by uid 1000, not root');
    expect(untrustedComponentProblem(info({ isSymbolicLink: true, uid: 1000 }))).toBe(
      'is owned by uid 1000, not root',
    );
    expect(untrustedComponentProblem(info({ mode: 0o775 }))).toContain('writable by group or others');
  });
});

describe('writableFileProblem', () => {
  it('accepts only a plain file with one link owned as expected', () => {
    expect(writableFileProblem(info({ isDirectory: false, isFile: true, nlink: 1 }), [0])).toBeUndefined();
    expect(writableFileProblem(info({ isDirectory: false, isFile: true, nlink: 2 }), [0])).toBe(
      'has 2 hard links',
    );
    expect(
      writableFileProblem(info({ isDirectory: false, isFile: true, nlink: 1, uid: 7 }), [0, 65534]),
    ).toBe('is owned by uid 7 (expected uid 0 or 65534)');
    expect(writableFileProblem(info({}), [0])).toBe('is not a regular file');
  });
});

describe('pathChain', () => {
  it('lists every directory from / down', () => {
    expect(pathChain('/var/lib/x')).toEqual(['/', '/var', '/var/lib', '/var/lib/x']);
    expect(pathChain('/')).toEqual(['/']);
  });
});

describe('path safety on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devstack-safety-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes through no symbolic link and leaves its target alone', async () => {
    const target = join(dir, 'target');
    await writeFile(target, 'precious\n');
    await symlink(target, join(dir, 'server.properties'));
    const error = await writeFileSafely(join(dir, 'server.properties'), 'x', {
      mode: 0o644,
      owners: [me],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'TRIB_DEVSTACK_UNSAFE_PATH',
      path: join(dir, 'server.properties'),
      message: expect.stringContaining('is a symbolic link'),
    });
    expect(await readFile(target, 'utf8')).toBe('precious\n');
  });

  it('refuses a hard-linked file before truncating it', async () => {
    const target = join(dir, 'target');
    await writeFile(target, 'precious\n');
    await link(target, join(dir, 'stdout.log'));
    await expect(
      writeFileSafely(join(dir, 'stdout.log'), '', { mode: 0o644, owners: [me] }),
    ).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_UNSAFE_PATH',
      message: expect.stringContaining('2 hard links'),
    });
    expect(await readFile(target, 'utf8')).toBe('precious\n');
  });

  it('creates, then truncates and rewrites, a plain file with the mode asked for', async () => {
    const file = join(dir, 'log4j.properties');
    await writeFileSafely(file, 'first, longer\n', { mode: 0o600, owners: [me] });
    await writeFileSafely(file, 'second\n', { mode: 0o644, owners: [me] });
    expect(await readFile(file, 'utf8')).toBe('second\n');
  });

  it('refuses a file of another owner', async () => {
    const file = join(dir, 'f');
    await writeFile(file, 'x');
    await expect(writeFileSafely(file, 'y', { mode: 0o644, owners: [me + 1] })).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_UNSAFE_PATH',
    });
  });

  it('never blocks on a FIFO and refuses a directory', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    await mkdir(join(dir, 'sub'));
    for (const name of ['fifo', 'sub']) {
      await expect(
        openRegularFile(join(dir, name), constants.O_WRONLY | constants.O_CREAT, 0o644, [me]),
      ).rejects.toMatchObject({ code: 'TRIB_DEVSTACK_UNSAFE_PATH', path: join(dir, name) });
    }
  });

  it('names the component of a data directory that others could change', async () => {
    await chmod(dir, 0o777);
    await mkdir(join(dir, 'data'));
    const error = await assertTrustedDirectory(join(dir, 'data'), 'data directory').catch((e: unknown) => e);
    if (me === 0) {
      expect(error).toMatchObject({ code: 'TRIB_DEVSTACK_UNSAFE_PATH', path: dir });
    } else {
      // Not root: the temporary directory is ours, not root's.
      expect(error).toMatchObject({
        code: 'TRIB_DEVSTACK_UNSAFE_PATH',
        message: expect.stringContaining('uid'),
      });
    }
  });
});
