import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restartElasticsearch, restartKafka } from '../src/restart.js';
import { findFreePort } from '../src/runtime/ports.js';
import { isGroupAlive } from '../src/runtime/process-group.js';
import { readState, writeState, type ServiceState } from '../src/runtime/state-file.js';

/** What restart refuses to do, checked without a broker (fake ports and state files in a private cache). */
describe('restart refuses what the devstack does not manage', () => {
  let cacheDir: string;
  let server: Server;
  let heldPort: number;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'devstack-restart-'));
    server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
    heldPort = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    await rm(cacheDir, { recursive: true, force: true });
  });

  const state = (port: number, pid: number): ServiceState => ({
    service: 'kafka',
    version: '3.9.1',
    port,
    secondaryPort: port + 1,
    pid,
    serviceDir: join(cacheDir, 'data', 'kafka'),
    dataRoot: join(cacheDir, 'data'),
    ownsDataRoot: false,
    logFiles: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    startupMs: 1,
    ownerPid: 1,
    detached: true,
  });

  it('rejects a bad option before anything else', async () => {
    await expect(restartKafka({ cacheDir, signal: 'SIGINT' as never })).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_INVALID_OPTION',
      option: 'signal',
    });
    await expect(restartKafka({ cacheDir, kafkaPort: 0 })).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_INVALID_OPTION',
      option: 'kafkaPort',
    });
  });

  it('NOT_MANAGED for a server it did not start (e.g. docker compose), naming the port and the holder', async () => {
    const error = await restartKafka({ cacheDir, kafkaPort: heldPort }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TRIB_DEVSTACK_NOT_MANAGED', port: heldPort, service: 'kafka' });
    const { message } = error as Error;
    expect(message).toContain(`Cannot restart kafka on port ${heldPort} (kafkaPort)`);
    expect(message).toContain('was not started by the devstack');
    expect(message).toContain('--kafka-port');
    if (process.platform === 'linux') expect(message).toContain(`pid ${process.pid}`);
    expect(server.listening).toBe(true);
  });

  it('never signals a live process that is not ours, even when a state file names it', async () => {
    // A pid recycled by an unrelated process: this very test process, whose command line has no Kafka marker.
    await writeState(cacheDir, state(heldPort, process.pid));
    await expect(restartKafka({ cacheDir, kafkaPort: heldPort })).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_NOT_MANAGED',
    });
    expect(await readState(cacheDir, 'kafka', heldPort)).toBeUndefined(); // stale entry removed
  });

  it('NOT_RUNNING when nothing is on the port, also when a stale state file names a dead pid', async () => {
    const port = await findFreePort();
    await writeState(cacheDir, state(port, 2 ** 22 + 12_345));
    expect(isGroupAlive(2 ** 22 + 12_345)).toBe(false);
    await expect(restartKafka({ cacheDir, kafkaPort: port })).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_NOT_RUNNING',
      port,
      message: expect.stringContaining(
        `Cannot restart kafka on port ${port} (kafkaPort): nothing is running`,
      ),
    });
    await expect(restartElasticsearch({ cacheDir, esPort: port })).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_NOT_RUNNING',
      service: 'elasticsearch',
      message: expect.stringContaining('(esPort)'),
    });
  });
});
