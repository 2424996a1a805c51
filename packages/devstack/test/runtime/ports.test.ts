import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertPortFree,
  findFreePort,
  freePorts,
  findPortOwner,
  isPortInUse,
  waitForPortFree,
} from '../../src/runtime/ports.js';

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : 0 });
    });
  });
}

describe('ports', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    server = undefined;
  });

  it('detects a port held by a real server, and a free port', async () => {
    const held = await listen();
    server = held.server;
    expect(await isPortInUse(held.port)).toBe(true);
    expect(await isPortInUse(await findFreePort())).toBe(false);
  });

  it('hands out a distinct free port for each name', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `port${i}`);
    const ports = await freePorts(...names);
    expect(Object.keys(ports)).toEqual(names);
    expect(new Set(Object.values(ports)).size).toBe(names.length);
    for (const port of Object.values(ports)) expect(await isPortInUse(port)).toBe(false);
  });

  it('PORT_IN_USE names the port, the option and the holder', async () => {
    const held = await listen();
    server = held.server;
    const error = await assertPortFree(held.port, 'kafkaPort', 'kafka').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TRIB_DEVSTACK_PORT_IN_USE', port: held.port, service: 'kafka' });
    expect((error as Error).message).toContain(`Port ${held.port} (kafkaPort, kafka)`);
    expect((error as Error).message).toContain('--kafka-port');
    if (process.platform === 'linux') expect((error as Error).message).toContain(`pid ${process.pid}`);
  });

  it('finds the owning process on Linux', async () => {
    const held = await listen();
    server = held.server;
    const owner = await findPortOwner(held.port);
    if (process.platform === 'linux') expect(owner).toContain(`pid ${process.pid}`);
    else expect(owner).toBeUndefined();
  });

  it('passes for a free port', async () => {
    await expect(assertPortFree(await findFreePort(), 'esPort', 'elasticsearch')).resolves.toBeUndefined();
  });

  it('waits for a port to free, or gives up after the timeout', async () => {
    const held = await listen();
    server = held.server;
    expect(await waitForPortFree(held.port, 300)).toBe(false);
    setTimeout(() => held.server.close(), 200);
    server = undefined;
    expect(await waitForPortFree(held.port, 5000)).toBe(true);
    expect(await isPortInUse(held.port)).toBe(false);
  });
});
