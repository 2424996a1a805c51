import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { descendantPids, followServerPid, SERVER_MARKERS } from '../../src/resources/server-pid.js';

interface FakeProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly cmdline: string[];
}

const stat = (p: FakeProcess): string =>
  `${p.pid} (java) S ${p.ppid} ${p.pid} ${p.pid} 0 -1 4194560 100 0 0 0 12 5 0 0 20 0 55 0 98765 4000 120 0`;

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A fake /proc; `withChildren` also writes task/<tid>/children (kernels with CONFIG_PROC_CHILDREN). */
async function fakeProc(processes: readonly FakeProcess[], withChildren: boolean): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'bench-proc-'));
  dirs.push(root);
  for (const p of processes) {
    const dir = join(root, String(p.pid));
    await mkdir(join(dir, 'task', String(p.pid)), { recursive: true });
    await writeFile(join(dir, 'stat'), stat(p));
    await writeFile(join(dir, 'cmdline'), `${p.cmdline.join('\0')}\0`);
    if (withChildren) {
      const kids = processes.filter((c) => c.ppid === p.pid).map((c) => c.pid);
      await writeFile(join(dir, 'task', String(p.pid), 'children'), kids.map((k) => `${k} `).join(''));
    }
  }
  await mkdir(join(root, 'self'));
  return root;
}

// Elasticsearch 8: the devstack knows the CLI launcher JVM, which starts the server JVM as its child.
const ES = [
  { pid: 100, ppid: 1, cmdline: ['java', '-Xmx64m', 'org.elasticsearch.launcher.CliToolLauncher'] },
  { pid: 140, ppid: 100, cmdline: ['java', '-Xms1g', 'org.elasticsearch.bootstrap.Elasticsearch'] },
  { pid: 150, ppid: 140, cmdline: ['controller'] },
  { pid: 200, ppid: 1, cmdline: ['bash'] },
  { pid: 210, ppid: 200, cmdline: ['java', 'kafka.Kafka', 'server.properties'] },
];

describe.each([
  ['task children files', true],
  ['ppid scan', false],
])('following server pids (%s)', (_name, withChildren) => {
  it('lists descendants breadth first', async () => {
    const procRoot = await fakeProc(ES, withChildren);
    expect(await descendantPids(100, { procRoot, platform: 'linux' })).toEqual([140, 150]);
    expect(await descendantPids(150, { procRoot, platform: 'linux' })).toEqual([]);
  });

  it('follows the Elasticsearch launcher to the server JVM and a script to the Kafka JVM', async () => {
    const procRoot = await fakeProc(ES, withChildren);
    const o = { procRoot, platform: 'linux' as const };
    expect(await followServerPid(100, SERVER_MARKERS.elasticsearch, o)).toBe(140);
    expect(await followServerPid(140, SERVER_MARKERS.elasticsearch, o)).toBe(140);
    expect(await followServerPid(200, SERVER_MARKERS.kafka, o)).toBe(210);
    expect(await followServerPid(210, SERVER_MARKERS.kafka, o)).toBe(210);
  });

  it('keeps the pid when nothing below it matches', async () => {
    const procRoot = await fakeProc(ES, withChildren);
    expect(await followServerPid(200, SERVER_MARKERS.elasticsearch, { procRoot, platform: 'linux' })).toBe(
      200,
    );
  });
});

describe('off Linux', () => {
  it('returns the pid unchanged and no descendants', async () => {
    expect(await followServerPid(100, SERVER_MARKERS.kafka, { platform: 'darwin' })).toBe(100);
    expect(await descendantPids(100, { platform: 'darwin' })).toEqual([]);
  });
});
