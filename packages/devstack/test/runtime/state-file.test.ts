import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readState,
  removeState,
  statePath,
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
});
