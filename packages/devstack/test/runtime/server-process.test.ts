import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGroupAlive } from '../../src/runtime/process-group.js';
import { launchServer, type ServerLaunch } from '../../src/runtime/server-process.js';

describe('launchServer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devstack-launch-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const launch = (
    name: string,
    script: string,
    extra: Partial<ServerLaunch> = {},
  ): Promise<{ pid: number; startupMs: number }> =>
    launchServer({
      service: name,
      command: '/bin/sh',
      args: ['-c', script],
      cwd: dir,
      stdoutFile: join(dir, `${name}.stdout.log`),
      logFiles: [join(dir, `${name}.server.log`)],
      isHealthy: async () => false,
      timeoutMs: 5000,
      stopTimeoutMs: 1000,
      pollMs: 20,
      ...extra,
    });

  it('fails with START_FAILED and the last log lines when the server exits first', async () => {
    const serverLog = join(dir, 'crash.server.log');
    const error = await launch(
      'crash',
      `for i in 1 2 3 4 5; do echo "boot step $i" >> ${serverLog}; done; echo "FATAL bad setting" >&2; exit 3`,
      { tailLines: 3 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TRIB_DEVSTACK_START_FAILED', service: 'crash' });
    const { logTail, message } = error as { logTail: string[]; message: string };
    expect(message).toContain('crash exited with code 3 before it was healthy');
    expect(logTail).toEqual([
      `==> ${serverLog} <==`,
      'boot step 3',
      'boot step 4',
      'boot step 5',
      `==> ${join(dir, 'crash.stdout.log')} <==`,
      'FATAL bad setting',
    ]);
    expect(message).toContain('FATAL bad setting');
  });

  it('as root, appends its output through no symbolic link', async () => {
    expect(process.getuid?.()).toBe(0);
    const target = join(dir, 'precious');
    await writeFile(target, 'root only\n');
    await symlink(target, join(dir, 'linked.stdout.log'));
    await expect(launch('linked', 'exit 0')).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_UNSAFE_PATH',
      path: join(dir, 'linked.stdout.log'),
    });
    expect(await readFile(target, 'utf8')).toBe('root only\n');
  });

  it('fails with START_FAILED when the command cannot be spawned', async () => {
    await expect(launch('missing', '', { command: join(dir, 'no-such-binary') })).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_START_FAILED',
    });
  });

  it('resolves with pid and startup time once healthy', async () => {
    let polls = 0;
    const started = await launch('ok', 'exec sleep 30', { isHealthy: async () => ++polls >= 3 });
    try {
      expect(started.pid).toBeGreaterThan(0);
      expect(started.startupMs).toBeGreaterThanOrEqual(0);
      expect(isGroupAlive(started.pid)).toBe(true);
    } finally {
      process.kill(-started.pid, 'SIGKILL');
    }
  });

  it('stops the group and fails with START_TIMEOUT when never healthy', async () => {
    const error = await launch('slow', 'echo waiting; exec sleep 30', { timeoutMs: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TRIB_DEVSTACK_START_TIMEOUT', retriable: true });
    expect((error as { logTail: string[] }).logTail).toContain('waiting');
  });

  it('reports the pid through onSpawn before the server is healthy', async () => {
    const events: string[] = [];
    const started = await launch('spawned', 'exec sleep 30', {
      onSpawn: async (pid) => {
        events.push(`spawn ${pid}`);
      },
      isHealthy: async () => {
        events.push('health');
        return true;
      },
    });
    try {
      expect(events).toEqual([`spawn ${started.pid}`, 'health']);
    } finally {
      process.kill(-started.pid, 'SIGKILL');
    }
  });

  it('stops the process when onSpawn fails, and rethrows', async () => {
    let spawned = 0;
    await expect(
      launch('record-fails', 'exec sleep 30', {
        onSpawn: async (pid) => {
          spawned = pid;
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(spawned).toBeGreaterThan(0);
    expect(isGroupAlive(spawned)).toBe(false);
  });
});
