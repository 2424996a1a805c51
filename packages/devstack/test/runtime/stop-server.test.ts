import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  isGroupAlive,
  keepOnExit,
  killRegisteredGroups,
  stopProcessGroup,
} from '../../src/runtime/process-group.js';
import { readState, restartedState, writeState, type ServiceState } from '../../src/runtime/state-file.js';
import { killOnExitWithRestarts, stopRecordedServer } from '../../src/runtime/stop-server.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** A killed group can linger a moment as zombies until reaped. */
async function gone(pgid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isGroupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** A stand-in for a broker JVM: a process group whose leader's command line carries the Kafka marker. */
function fakeBroker(): number {
  const child = spawn('/bin/sh', ['-c', 'sleep 60 & wait', '-Dtributary.devstack=kafka'], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return child.pid!;
}

describe('stopping a server that was restarted after it was recorded', () => {
  let cacheDir: string;
  let dataRoot: string;
  const groups: number[] = [];
  const broker = (): number => {
    const pid = fakeBroker();
    groups.push(pid);
    return pid;
  };
  const recorded = (pid: number): ServiceState => ({
    service: 'kafka',
    version: '3.9.1',
    port: 19092,
    secondaryPort: 19093,
    pid,
    serviceDir: join(dataRoot, 'kafka'),
    dataRoot,
    ownsDataRoot: true,
    logFiles: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    startupMs: 2000,
    ownerPid: process.pid,
    detached: false,
    launch: { service: 'kafka', javaCommand: 'java', libsDir: '/cache/kafka-3.9.1/libs', heap: '256m' },
  });
  const restarted = (state: ServiceState, pid: number): ServiceState =>
    restartedState(state, { pid, startupMs: 1500, launch: state.launch!, at: new Date() });

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'devstack-stop-cache-'));
  });
  afterEach(async () => {
    for (const pid of groups.splice(0)) {
      keepOnExit(pid);
      await stopProcessGroup(pid, 100, 'test', 'SIGKILL');
    }
    await rm(dataRoot, { recursive: true, force: true });
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });
  const freshDataRoot = async (): Promise<void> => {
    dataRoot = await mkdtemp(join(tmpdir(), 'devstack-stop-data-'));
    await mkdir(join(dataRoot, 'kafka'));
  };

  it('stops the process the state file names now, not only the recorded one', async () => {
    await freshDataRoot();
    const first = recorded(broker());
    await writeState(cacheDir, first);
    // A restart elsewhere: the first process is gone, the state file names its successor.
    await stopProcessGroup(first.pid, 1000, 'test', 'SIGKILL');
    const second = restarted(first, broker());
    await writeState(cacheDir, second);
    await sleep(100);

    await stopRecordedServer(cacheDir, first, 2000);
    expect(isGroupAlive(second.pid)).toBe(false);
    expect(await readState(cacheDir, 'kafka', 19092)).toBeUndefined();
    expect(await exists(dataRoot)).toBe(false);
  });

  it('never stops a different server that now has the port (other service directory or owner)', async () => {
    await freshDataRoot();
    const first = recorded(broker());
    await stopProcessGroup(first.pid, 1000, 'test', 'SIGKILL');
    const other: ServiceState = { ...recorded(broker()), serviceDir: '/elsewhere/kafka', ownerPid: 1 };
    await writeState(cacheDir, other);
    await sleep(100);

    await stopRecordedServer(cacheDir, first, 2000);
    expect(isGroupAlive(other.pid)).toBe(true);
  });

  it('kills the restarted process at exit too, unless it was detached', async () => {
    await freshDataRoot();
    const first = recorded(broker());
    await writeState(cacheDir, first);
    killOnExitWithRestarts(cacheDir, first);
    await stopProcessGroup(first.pid, 1000, 'test', 'SIGKILL');
    const second = restarted(first, broker());
    await writeState(cacheDir, second);
    await sleep(100);

    killRegisteredGroups();
    expect(await gone(second.pid)).toBe(true);

    const third = restarted(first, broker());
    await writeState(cacheDir, { ...third, detached: true });
    await sleep(100);
    killRegisteredGroups();
    expect(await gone(third.pid, 500)).toBe(false);
    keepOnExit(first.pid);
  });
});
