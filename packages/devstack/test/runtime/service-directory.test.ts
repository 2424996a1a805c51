import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  handOverTree,
  prepareDirectory,
  prepareFile,
  removeTree,
} from '../../src/runtime/service-directory.js';

// Root's side of the ownership plan: these run as root (uid 0), as the devstack does when it drops privileges.
const USER = { uid: 65_534, gid: 65_534 };
const owner = async (path: string): Promise<number> => (await lstat(path)).uid;

describe('service directory preparation as root', () => {
  let root: string;
  let outside: string;
  beforeEach(async () => {
    expect(process.getuid?.()).toBe(0);
    root = await mkdtemp(join(tmpdir(), 'devstack-service-'));
    await chmod(root, 0o755);
    outside = await mkdtemp(join(tmpdir(), 'devstack-outside-'));
    await writeFile(join(outside, 'secret'), 'root only\n', { mode: 0o600 });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it("creates root's directory and the user's, handed over", async () => {
    await prepareDirectory(join(root, 'kafka'), 'root', USER);
    await prepareDirectory(join(root, 'kafka', 'data'), 'user', USER);
    expect(await owner(join(root, 'kafka'))).toBe(0);
    expect(await owner(join(root, 'kafka', 'data'))).toBe(USER.uid);
    // Kept as they are on the next start.
    await prepareDirectory(join(root, 'kafka'), 'root', USER);
    await prepareDirectory(join(root, 'kafka', 'data'), 'user', USER);
    expect(await owner(join(root, 'kafka', 'data'))).toBe(USER.uid);
  });

  it('refuses a symbolic link planted where a directory goes, and chowns nothing through it', async () => {
    await mkdir(join(root, 'kafka'));
    await symlink(outside, join(root, 'kafka', 'data'));
    await expect(prepareDirectory(join(root, 'kafka', 'data'), 'user', USER)).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_UNSAFE_PATH',
      path: join(root, 'kafka', 'data'),
    });
    expect(await owner(outside)).toBe(0);
    expect(await owner(join(outside, 'secret'))).toBe(0);
  });

  it('refuses a symbolic link planted where a file goes, and neither truncates nor chowns its target', async () => {
    await symlink(join(outside, 'secret'), join(root, 'server.log'));
    await expect(prepareFile(join(root, 'server.log'), 'user', USER)).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_UNSAFE_PATH',
      message: expect.stringContaining('is a symbolic link'),
    });
    await expect(prepareFile(join(root, 'server.log'), 'root', USER)).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_UNSAFE_PATH',
    });
    expect(await readFile(join(outside, 'secret'), 'utf8')).toBe('root only\n');
    expect(await owner(join(outside, 'secret'))).toBe(0);
  });

  it('refuses an entry owned by someone unexpected', async () => {
    await mkdir(join(root, 'data'));
    await chown(join(root, 'data'), 1234, 1234);
    await expect(prepareDirectory(join(root, 'data'), 'user', USER)).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_UNSAFE_PATH',
      message: expect.stringContaining('owned by uid 1234'),
    });
  });

  it("replaces a root file the user owned and creates the user's log file, handed over", async () => {
    await writeFile(join(root, 'stdout.log'), 'old');
    await chown(join(root, 'stdout.log'), USER.uid, USER.gid);
    await prepareFile(join(root, 'stdout.log'), 'root', USER);
    expect(await readdir(root)).toEqual([]);
    await prepareFile(join(root, 'server.log'), 'user', USER);
    expect(await owner(join(root, 'server.log'))).toBe(USER.uid);
  });

  it("takes back a service directory an older devstack gave the user, keeping the user's data in it", async () => {
    const serviceDir = join(root, 'elasticsearch');
    await mkdir(join(serviceDir, 'data'), { recursive: true });
    await chown(join(serviceDir, 'data'), USER.uid, USER.gid);
    await chown(serviceDir, USER.uid, USER.gid);
    await prepareDirectory(serviceDir, 'root', USER);
    expect(await owner(serviceDir)).toBe(0);
    expect(await owner(join(serviceDir, 'data'))).toBe(USER.uid);
  });

  it("hands over root's data left by a devstack that ran Kafka as root, and stops at a planted link", async () => {
    const data = join(root, 'data');
    await mkdir(join(data, 'topic-0'), { recursive: true });
    await writeFile(join(data, 'meta.properties'), 'x');
    await writeFile(join(data, 'topic-0', '00000.log'), 'x');
    await prepareDirectory(data, 'user', USER);
    for (const path of [
      data,
      join(data, 'topic-0'),
      join(data, 'meta.properties'),
      join(data, 'topic-0', '00000.log'),
    ])
      expect(await owner(path)).toBe(USER.uid);

    const config = join(root, 'config');
    await mkdir(config);
    await symlink(join(outside, 'secret'), join(config, 'jvm.options'));
    await expect(handOverTree(config, USER)).rejects.toMatchObject({ code: 'TRIB_DEVSTACK_UNSAFE_PATH' });
    expect(await owner(join(outside, 'secret'))).toBe(0);
  });

  it("removes a tree without following links, emptying the user's directories as the user", async () => {
    const serviceDir = join(root, 'kafka');
    await prepareDirectory(serviceDir, 'root', USER);
    await prepareDirectory(join(serviceDir, 'data'), 'user', USER);
    await writeFile(join(serviceDir, 'server.properties'), 'x');
    // What a compromised server could leave in its own directory: links to root's files and directories.
    await symlink(outside, join(serviceDir, 'data', 'dir-link'));
    await symlink(join(outside, 'secret'), join(serviceDir, 'data', 'file-link'));
    await mkdir(join(serviceDir, 'data', 'sub'));
    await chown(join(serviceDir, 'data', 'sub'), USER.uid, USER.gid);
    await symlink(outside, join(serviceDir, 'link-in-root-dir'));
    await removeTree(serviceDir);
    expect(await readdir(root)).toEqual([]);
    expect(await readFile(join(outside, 'secret'), 'utf8')).toBe('root only\n');
  });
});
