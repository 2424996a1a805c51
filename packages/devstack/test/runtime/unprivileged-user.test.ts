import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unprivilegedUser, findUntraversable } from '../../src/runtime/unprivileged-user.js';

describe('unprivilegedUser', () => {
  it('runs as ourselves when not root', async () => {
    expect(await unprivilegedUser(1000)).toBeUndefined();
  });

  it('runs as nobody from /etc/passwd when root', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'devstack-passwd-'));
    try {
      const passwd = join(dir, 'passwd');
      await writeFile(
        passwd,
        'root:x:0:0:root:/root:/bin/bash\nnobody:x:65000:65001:nobody:/nonexistent:/usr/sbin/nologin\n',
      );
      expect(await unprivilegedUser(0, passwd)).toEqual({ uid: 65000, gid: 65001 });
      expect(await unprivilegedUser(0, join(dir, 'missing'))).toEqual({ uid: 65534, gid: 65534 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('findUntraversable', () => {
  it('names the first directory other users cannot enter', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'devstack-traverse-'));
    try {
      const { chmod, mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, 'a', 'b'), { recursive: true });
      await chmod(dir, 0o755);
      await chmod(join(dir, 'a'), 0o700);
      await chmod(join(dir, 'a', 'b'), 0o755);
      expect(await findUntraversable(join(dir, 'a', 'b'))).toBe(join(dir, 'a'));
      await chmod(join(dir, 'a'), 0o711);
      expect(await findUntraversable(join(dir, 'a', 'b'))).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
