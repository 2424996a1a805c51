import { access } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  devstackLogs,
  devstackStatus,
  freePorts,
  startDevstack,
  stopDevstack,
  type Devstack,
} from '../src/index.js';
import { isGroupAlive } from '../src/runtime/process-group.js';
import { statePath } from '../src/runtime/state-file.js';
import { DEVSTACK_OPTIONS } from '../src/options.js';

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

describe('down: stopping a detached stack through its state file', () => {
  let stack: Devstack | undefined;

  afterAll(async () => {
    await stack?.stop();
  });

  it('finds, tails, stops and cleans up a detached Kafka', async () => {
    const options = {
      services: ['kafka'] as const,
      ...(await freePorts('kafkaPort', 'kafkaControllerPort')),
      kafkaHeap: '256m',
    };
    stack = await startDevstack(options);
    await stack.detach();
    const pid = stack.kafka!.pid!;
    const dataDir = stack.dataDir!;
    const state = statePath(DEVSTACK_OPTIONS.defaults.cacheDir!, 'kafka', options.kafkaPort);
    expect(await exists(state)).toBe(true);

    const status = await devstackStatus(options);
    expect(status.kafka).toMatchObject({ healthy: true, managed: true, detached: true, pid });
    expect(status.elasticsearch).toBeUndefined();
    const logs = await devstackLogs(options, 5);
    expect(logs.kafka?.[0]).toMatch(/^==> .*server\.log <==$/);
    expect(logs.kafka?.length).toBeGreaterThan(1);

    expect(await stopDevstack(options)).toEqual([
      { service: 'kafka', port: options.kafkaPort, result: 'stopped', pid },
    ]);
    stack = undefined;
    expect(isGroupAlive(pid)).toBe(false);
    expect(await exists(state)).toBe(false);
    expect(await exists(dataDir)).toBe(false);
    expect((await devstackStatus(options)).kafka).toMatchObject({
      listening: false,
      healthy: false,
      managed: false,
    });
  });

  it('never stops a server it did not start', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      expect(await stopDevstack({ services: ['kafka'], kafkaPort: port })).toEqual([
        { service: 'kafka', port, result: 'not-managed', pid: undefined },
      ]);
      expect(server.listening).toBe(true);
      await expect(startDevstack({ services: ['kafka'], kafkaPort: port })).rejects.toMatchObject({
        code: 'TRIB_DEVSTACK_PORT_IN_USE',
        port,
        message: expect.stringContaining(`pid ${process.pid}`),
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
