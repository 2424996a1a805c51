import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isGroupAlive, stopProcessGroup } from '../../src/runtime/process-group.js';

function spawnGroup(script: string): number {
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('stopProcessGroup', () => {
  it('terminates the leader and its children (like the ES launcher and its server JVM)', async () => {
    const pgid = spawnGroup('sleep 30 & sleep 30 & wait');
    await sleep(100);
    expect(isGroupAlive(pgid)).toBe(true);
    expect(await stopProcessGroup(pgid, 5000, 'test')).toBe('terminated');
    expect(isGroupAlive(pgid)).toBe(false);
  });

  it('SIGKILLs a group that ignores SIGTERM after the timeout', async () => {
    const pgid = spawnGroup("trap '' TERM; sleep 30 & wait; sleep 30");
    await sleep(100);
    expect(await stopProcessGroup(pgid, 300, 'test')).toBe('killed');
    expect(isGroupAlive(pgid)).toBe(false);
  });

  it('is a no-op for a group that is gone', async () => {
    const pgid = spawnGroup('exit 0');
    await sleep(200);
    expect(await stopProcessGroup(pgid, 100, 'test')).toBe('terminated');
  });
});

describe('stopProcessGroup with SIGKILL', () => {
  it('kills at once, without waiting for a SIGTERM grace the group would ignore', async () => {
    const pgid = spawnGroup("trap '' TERM; sleep 30 & wait; sleep 30");
    await sleep(100);
    const started = Date.now();
    expect(await stopProcessGroup(pgid, 30_000, 'test', 'SIGKILL')).toBe('killed');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(isGroupAlive(pgid)).toBe(false);
  });
});
