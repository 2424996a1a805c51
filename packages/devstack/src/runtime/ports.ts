import { createConnection, createServer, type Server } from 'node:net';
import { readFile, readdir, readlink } from 'node:fs/promises';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';

/** Every server of the devstack listens on loopback only. */
export const LOOPBACK = '127.0.0.1';

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function canConnect(port: number, host: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when something listens on (or holds) `host:port`: binding fails or a connection is accepted. */
export async function isPortInUse(port: number, host: string = LOOPBACK): Promise<boolean> {
  if (!(await canListen(port, host))) return true;
  return canConnect(port, host);
}

/** Waits until nothing listens on `port` any more; false when it is still in use after `timeoutMs`. */
export async function waitForPortFree(
  port: number,
  timeoutMs: number,
  host: string = LOOPBACK,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await isPortInUse(port, host)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** A port that is free right now on loopback (the OS picks it). */
export function findFreePort(host: string = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `count` distinct free ports: each is held open until all are bound, so none is handed out twice (separate
 * `findFreePort` calls may return the same port once it was released).
 */
export async function findFreePorts(count: number, host: string = LOOPBACK): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: 0, host }, resolve);
      });
    }
    return servers.map((server) => {
      const address = server.address();
      return typeof address === 'object' && address !== null ? address.port : 0;
    });
  } finally {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
      ),
    );
  }
}

/** A distinct free port for each name, e.g. `{ ...(await freePorts('kafkaPort', 'kafkaControllerPort')) }`. */
export async function freePorts<K extends string>(...names: K[]): Promise<Record<K, number>> {
  const ports = await findFreePorts(names.length);
  return Object.fromEntries(names.map((name, i) => [name, ports[i]])) as Record<K, number>;
}

/**
 * Best effort, Linux only: `pid (command)` of the process listening on `port`, read from /proc. Undefined when it
 * cannot be told (other OS, no permission).
 */
export async function findPortOwner(port: number): Promise<string | undefined> {
  try {
    const inodes = new Set<string>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      const text = await readFile(table, 'utf8').catch(() => '');
      for (const line of text.split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        const local = cols[1];
        if (local === undefined || cols[3] !== '0A') continue;
        if (Number.parseInt(local.split(':')[1] ?? '', 16) === port && cols[9] !== undefined)
          inodes.add(cols[9]);
      }
    }
    if (inodes.size === 0) return undefined;
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode !== undefined && inodes.has(inode)) {
          const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
          return `pid ${pid} (${cmdline.split('\0').filter(Boolean).join(' ').slice(0, 160)})`;
        }
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Throws `TRIB_DEVSTACK_PORT_IN_USE` naming the port, the option and (when it can be told) the process. */
export async function assertPortFree(port: number, option: string, service: string): Promise<void> {
  if (!(await isPortInUse(port))) return;
  const owner = await findPortOwner(port);
  const who =
    owner === undefined
      ? `Find it with \`ss -ltnp 'sport = :${port}'\` or \`lsof -i :${port}\`.`
      : `It is held by ${owner}.`;
  throw new DevstackError(
    DEVSTACK_ERROR_CODES.PORT_IN_USE,
    `Port ${port} (${option}, ${service}) is already in use and is not a healthy ${service} the devstack can reuse. ` +
      `${who} Fix: stop that process, or choose another port with ${option} (CLI --${kebab(option)}).`,
    { port, service },
  );
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
