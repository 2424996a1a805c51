import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isSameServer,
  readState,
  readStateSync,
  removeState,
  restartedState,
  statePath,
  successorPid,
  writeState,
  type ServiceState,
} from '../../src/runtime/state-file.js';

describe('state file', () => {
  let cache: string;
  beforeAll(async () => {
    cache = await mkdtemp(join(tmpdir(), 'devstack-state-'));
  });
  afterAll(async () => {
    await rm(cache, { recursive: true, force: true });
  });

  it('round-trips per service and port', async () => {
    const state: ServiceState = {
      service: 'kafka',
      version: '3.9.1',
      port: 19092,
      secondaryPort: 19093,
      pid: 1234,
      serviceDir: '/d/kafka',
      dataRoot: '/d',
      ownsDataRoot: true,
      logFiles: ['/d/kafka/server.log'],
      startedAt: '2026-01-01T00:00:00.000Z',
      startupMs: 2000,
      ownerPid: 1,
      detached: true,
    };
    await writeState(cache, state);
    expect(statePath(cache, 'kafka', 19092)).toBe(join(cache, 'run', 'kafka-19092.json'));
    expect(await readState(cache, 'kafka', 19092)).toEqual(state);
    expect(await readState(cache, 'kafka', 9092)).toBeUndefined();
    expect(await readState(cache, 'elasticsearch', 19092)).toBeUndefined();
    await removeState(cache, 'kafka', 19092);
    expect(await readState(cache, 'kafka', 19092)).toBeUndefined();
  });

  const state: ServiceState = {
    service: 'kafka',
    version: '3.9.1',
    port: 19092,
    secondaryPort: 19093,
    pid: 1234,
    serviceDir: '/d/kafka',
    dataRoot: '/d',
    ownsDataRoot: true,
    logFiles: ['/d/kafka/server.log'],
    startedAt: '2026-01-01T00:00:00.000Z',
    startupMs: 2000,
    ownerPid: 1,
    detached: false,
    launch: { service: 'kafka', javaCommand: 'java', libsDir: '/c/kafka-3.9.1/libs', heap: '512m' },
  };

  it('round-trips a launch record, also through the synchronous reader used at exit', async () => {
    await writeState(cache, state);
    expect(readStateSync(cache, 'kafka', 19092)).toEqual(state);
    expect(readStateSync(cache, 'kafka', 9092)).toBeUndefined();
    await removeState(cache, 'kafka', 19092);
    expect(readStateSync(cache, 'kafka', 19092)).toBeUndefined();
  });

  it('after a restart: new pid, start time, startup and launch; owner, ports, data and detached kept', () => {
    const launch = { ...state.launch!, heap: '256m' };
    const next = restartedState(state, {
      pid: 5678,
      startupMs: 1500,
      launch,
      at: new Date('2026-01-02T03:04:05.000Z'),
    });
    expect(next).toEqual({
      ...state,
      pid: 5678,
      startupMs: 1500,
      startedAt: '2026-01-02T03:04:05.000Z',
      launch,
    });
    expect(
      restartedState({ ...state, detached: true }, { pid: 9, startupMs: 1, launch, at: new Date() }),
    ).toMatchObject({ detached: true, ownerPid: 1, pid: 9 });
    expect(state.pid).toBe(1234); // not mutated
  });

  it('follows a restart to its successor, never to another server on the port', () => {
    const next = restartedState(state, { pid: 5678, startupMs: 1500, launch: state.launch!, at: new Date() });
    expect(isSameServer(state, next)).toBe(true);
    expect(successorPid(state, next)).toBe(5678);
    expect(successorPid(state, state)).toBeUndefined();
    expect(successorPid(state, undefined)).toBeUndefined();
    // A fresh start by someone else: other data directory, or other owner.
    expect(successorPid(state, { ...next, serviceDir: '/e/kafka' })).toBeUndefined();
    expect(successorPid(state, { ...next, ownerPid: 2 })).toBeUndefined();
    expect(isSameServer(state, { ...state, service: 'elasticsearch' })).toBe(false);
  });
});
