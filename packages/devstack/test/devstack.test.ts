import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, type ProgressMessage } from '../src/diagnostics.js';
import { startDevstack } from '../src/devstack.js';
import { freePorts } from '../src/runtime/ports.js';

/** startDevstack's checks, run before anything is downloaded or spawned (fake java/mvn; no servers). */
describe('startDevstack preflight', () => {
  let dir: string;
  let cacheDir: string;
  let java17: string;
  const script = async (name: string, body: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  };
  const ports = async (): Promise<{
    kafkaPort: number;
    kafkaControllerPort: number;
    esPort: number;
    esTransportPort: number;
  }> => freePorts('kafkaPort', 'kafkaControllerPort', 'esPort', 'esTransportPort');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devstack-preflight-'));
    cacheDir = join(dir, 'cache');
    java17 = await script('java17', 'echo "    java.home = /opt/jdk17\n    java.version = 17.0.15" >&2');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects a bad option naming it, before anything else', async () => {
    await expect(startDevstack({ esHeap: 'lots' })).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_INVALID_OPTION',
      option: 'esHeap',
    });
  });

  it('fails with JAVA_MISSING when the java command does not exist', async () => {
    await expect(
      startDevstack({ ...(await ports()), cacheDir, javaCommand: join(dir, 'nope') }),
    ).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_JAVA_MISSING',
    });
  });

  it('fails with JAVA_VERSION on Java 24 (no SecurityManager for Elasticsearch 8)', async () => {
    const java24 = await script('java24', 'echo \'openjdk version "24" 2025-03-18\' >&2');
    await expect(startDevstack({ ...(await ports()), cacheDir, javaCommand: java24 })).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_JAVA_VERSION',
    });
  });

  it('fails with MAVEN_MISSING on an empty cache without Maven, announcing the download, leaving no entry', async () => {
    const lines: string[] = [];
    const onProgress = (message: unknown): void => {
      lines.push((message as ProgressMessage).line);
    };
    subscribe(CHANNEL_NAMES.progress, onProgress);
    try {
      await expect(
        startDevstack({
          ...(await ports()),
          services: ['kafka'],
          cacheDir,
          javaCommand: java17,
          mavenCommand: join(dir, 'no-mvn'),
        }),
      ).rejects.toMatchObject({ code: 'TRIB_DEVSTACK_MAVEN_MISSING' });
    } finally {
      unsubscribe(CHANNEL_NAMES.progress, onProgress);
    }
    expect(lines.some((l) => l.startsWith('[kafka] downloading Kafka 3.9.1 from Maven Central'))).toBe(true);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('fails with PORT_IN_USE for a port held by something that is not Kafka', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      await expect(
        startDevstack({ services: ['kafka'], kafkaPort: port, cacheDir, javaCommand: java17 }),
      ).rejects.toMatchObject({ code: 'TRIB_DEVSTACK_PORT_IN_USE', port, service: 'kafka' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
