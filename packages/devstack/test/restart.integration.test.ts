import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createKafkaClient, type Kafka } from '@tributary/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  devstackStatus,
  freePorts,
  isPortInUse,
  restartElasticsearch,
  restartKafka,
  startDevstack,
  stopDevstack,
  type Devstack,
  type DevstackOptions,
} from '../src/index.js';
import { DEVSTACK_OPTIONS } from '../src/options.js';
import { isGroupAlive } from '../src/runtime/process-group.js';
import { readState, statePath } from '../src/runtime/state-file.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const cacheDir = DEVSTACK_OPTIONS.defaults.cacheDir!;

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** Runs the built CLI in its own process (as another engineer's terminal, or a test worker, would). */
function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Pids of live processes whose command line mentions `text` (e.g. a broker's service directory). */
async function processesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) pids.push(Number(entry));
  }
  return pids;
}

/** A killed group can linger a moment as zombies until they are reaped. */
async function gone(pgid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isGroupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

function portFlags(o: DevstackOptions): string[] {
  return [
    '--kafka-port',
    String(o.kafkaPort),
    '--kafka-controller-port',
    String(o.kafkaControllerPort),
    '--kafka-heap',
    String(o.kafkaHeap),
  ];
}

describe('restarting a Kafka broker of the devstack in place (its own broker on free ports)', () => {
  const suffix = randomBytes(4).toString('hex');
  const topic = `restart-it-${suffix}`;
  let options: DevstackOptions;
  let stack: Devstack | undefined;
  let kafka: Kafka;
  let serviceDir: string;
  /** Every pid the broker had: the first, then one per restart. */
  const pids: number[] = [];
  let groups = 0;

  async function produce(from: number, count: number): Promise<void> {
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 10 } });
    await producer.connect();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: range(from, from + count).map((i) => ({ key: `key-${i % 7}`, value: String(i) })),
      });
    } finally {
      await producer.disconnect();
    }
  }

  /** Reads the whole topic with a fresh group; checks the log holds exactly `expected` records. */
  async function consumeAll(expected: number): Promise<number[]> {
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)).toBe(expected);

    const consumer = kafka.consumer({ groupId: `restart-it-${suffix}-${++groups}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const values: number[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`consumed ${values.length} of ${expected} records`)),
          60_000,
        );
        void consumer
          .run({
            eachMessage: async ({ message }) => {
              values.push(Number(message.value?.toString()));
              if (values.length >= expected) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return values.sort((a, b) => a - b);
  }

  beforeAll(async () => {
    options = {
      services: ['kafka'],
      ...(await freePorts('kafkaPort', 'kafkaControllerPort')),
      kafkaHeap: '256m',
      stopTimeoutMs: 20_000,
    };
    stack = await startDevstack(options);
    pids.push(stack.kafka!.pid!);
    serviceDir = (await readState(cacheDir, 'kafka', options.kafkaPort!))!.serviceDir;
    kafka = createKafkaClient({
      clientId: `restart-it-${suffix}`,
      brokers: stack.kafka!.brokers,
      retry: { retries: 10 },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    await stack?.stop();
    for (const pid of pids) if (isGroupAlive(pid)) process.kill(-pid, 'SIGKILL');
  });

  it('is not the shared broker', () => {
    expect(options.kafkaPort).not.toBe(DEVSTACK_OPTIONS.defaults.kafkaPort);
    expect(stack?.kafka).toMatchObject({ reused: false, port: options.kafkaPort });
  });

  it('keeps acknowledged records across a clean restart (SIGTERM), under a new pid it records', async () => {
    await produce(0, 30);
    const before = pids.at(-1)!;

    const restarted = await restartKafka({ ...options, signal: 'SIGTERM' });
    pids.push(restarted.pid!);
    console.log(
      `SIGTERM restart: pid ${restarted.previousPid} ${restarted.stopped} -> pid ${restarted.pid}, ` +
        `healthy in ${restarted.startupMs} ms, down ${restarted.downtimeMs} ms`,
    );
    expect(restarted).toMatchObject({
      previousPid: before,
      stopped: 'terminated',
      port: options.kafkaPort,
      brokers: stack!.kafka!.brokers,
      reused: false,
    });
    expect(restarted.pid).not.toBe(before);
    expect(await gone(before)).toBe(true);
    expect(isGroupAlive(restarted.pid!)).toBe(true);

    const state = await readState(cacheDir, 'kafka', options.kafkaPort!);
    expect(state).toMatchObject({
      pid: restarted.pid,
      serviceDir,
      ownerPid: process.pid,
      detached: false,
      startupMs: restarted.startupMs,
    });
    expect(Date.parse(state!.startedAt)).toBeGreaterThan(Date.now() - 120_000);
    expect((await devstackStatus(options)).kafka).toMatchObject({
      healthy: true,
      managed: true,
      pid: restarted.pid,
    });

    expect(await consumeAll(30)).toEqual(range(0, 30));
    await produce(30, 10);
    expect(await consumeAll(40)).toEqual(range(0, 40));
  });

  it('keeps them across a crash (SIGKILL) done by another process through the CLI', async () => {
    const before = pids.at(-1)!;
    const result = await runCli(['restart', 'kafka', '--signal', 'kill', ...portFlags(options)]);
    expect(result.stderr).toContain(`[kafka] restarting pid ${before}`);
    expect(result.code).toBe(0);
    const line = /restarted: pid (\d+) killed, pid (\d+) healthy in \d+ ms \(down \d+ ms\)/.exec(
      result.stdout,
    );
    expect(line, result.stdout).not.toBeNull();
    expect(Number(line![1])).toBe(before);
    const pid = Number(line![2]);
    pids.push(pid);
    expect(pid).not.toBe(before);
    expect(await gone(before)).toBe(true);

    // The CLI process has exited: the broker it started outlives it, and the owner is still this process.
    expect(isGroupAlive(pid)).toBe(true);
    expect(await readState(cacheDir, 'kafka', options.kafkaPort!)).toMatchObject({
      pid,
      ownerPid: process.pid,
      detached: false,
    });
    const status = await runCli(['status', '--services', 'kafka', '--json', ...portFlags(options)]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).kafka).toMatchObject({ healthy: true, managed: true, pid });

    expect(await consumeAll(40)).toEqual(range(0, 40));
    await produce(40, 10);
    expect(await consumeAll(50)).toEqual(range(0, 50));
  });

  it('stop() of the handle taken before the restarts stops the restarted JVM and leaves nothing behind', async () => {
    expect(pids).toHaveLength(3);
    expect(stack!.kafka!.pid).toBe(pids[0]); // the handle still has the first pid
    expect(await processesMentioning(serviceDir)).toContain(pids[2]);
    await stack!.stop();
    stack = undefined;
    for (const pid of pids) expect(await gone(pid)).toBe(true);
    expect(await processesMentioning(serviceDir)).toEqual([]);
    expect(await isPortInUse(options.kafkaPort!)).toBe(false);
    expect(await isPortInUse(options.kafkaControllerPort!)).toBe(false);
    expect(await exists(statePath(cacheDir, 'kafka', options.kafkaPort!))).toBe(false);
    expect(await exists(serviceDir)).toBe(false); // its temporary data directory is removed
  });
});

describe('restarting a broker another process started and left running (`up --detach`)', () => {
  let options: DevstackOptions;
  const pids: number[] = [];

  beforeAll(async () => {
    options = {
      services: ['kafka'],
      ...(await freePorts('kafkaPort', 'kafkaControllerPort')),
      kafkaHeap: '256m',
    };
  });
  afterAll(async () => {
    await stopDevstack(options);
    for (const pid of pids) if (isGroupAlive(pid)) process.kill(-pid, 'SIGKILL');
  });

  it('restarts it here, keeps it detached, and `down` then stops the new process', async () => {
    const up = await runCli(['up', '--detach', '--services', 'kafka', ...portFlags(options)]);
    expect(up.code, up.stderr).toBe(0);
    const started = await readState(cacheDir, 'kafka', options.kafkaPort!);
    expect(started).toMatchObject({ detached: true, launch: { service: 'kafka', heap: '256m' } });
    pids.push(started!.pid);

    const restarted = await restartKafka({ ...options, signal: 'SIGKILL' });
    pids.push(restarted.pid!);
    expect(restarted).toMatchObject({ previousPid: started!.pid, stopped: 'killed' });
    expect(await readState(cacheDir, 'kafka', options.kafkaPort!)).toMatchObject({
      pid: restarted.pid,
      ownerPid: started!.ownerPid,
      detached: true,
    });

    expect(await stopDevstack(options)).toEqual([
      { service: 'kafka', port: options.kafkaPort, result: 'stopped', pid: restarted.pid },
    ]);
    for (const pid of pids) expect(await gone(pid)).toBe(true);
    expect(await processesMentioning(started!.serviceDir)).toEqual([]);
  });
});

describe('restarting an Elasticsearch node of the devstack', () => {
  let options: DevstackOptions;
  let stack: Devstack | undefined;
  const pids: number[] = [];

  beforeAll(async () => {
    options = {
      services: ['elasticsearch'],
      ...(await freePorts('esPort', 'esTransportPort')),
      esHeap: '512m',
      writeQueueSize: 5,
    };
    stack = await startDevstack(options);
    pids.push(stack.elasticsearch!.pid!);
  });
  afterAll(async () => {
    await stack?.stop();
    for (const pid of pids) if (isGroupAlive(pid)) process.kill(-pid, 'SIGKILL');
  });

  it('keeps its indices and settings across a SIGKILL restart; stop() then stops the new node', async () => {
    const url = stack!.elasticsearch!.url;
    const put = await fetch(`${url}/restart-it/_doc/1?refresh=true`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kept: true }),
    });
    expect(put.status).toBe(201);
    const serviceDir = (await readState(cacheDir, 'elasticsearch', options.esPort!))!.serviceDir;

    const restarted = await restartElasticsearch({ ...options, signal: 'SIGKILL' });
    pids.push(restarted.pid!);
    console.log(
      `elasticsearch SIGKILL restart: healthy in ${restarted.startupMs} ms, down ${restarted.downtimeMs} ms`,
    );
    expect(restarted).toMatchObject({ previousPid: pids[0], stopped: 'killed', url });
    expect(await gone(pids[0]!)).toBe(true);
    expect((await devstackStatus(options)).elasticsearch).toMatchObject({
      healthy: true,
      managed: true,
      pid: restarted.pid,
    });
    const doc = (await (await fetch(`${url}/restart-it/_doc/1`)).json()) as { _source?: unknown };
    expect(doc._source).toEqual({ kept: true });
    const pool = (await (
      await fetch(`${url}/_nodes/_local/thread_pool?filter_path=nodes.*.thread_pool.write.queue_size`)
    ).json()) as { nodes: Record<string, { thread_pool: { write: { queue_size: number } } }> };
    expect(Object.values(pool.nodes)[0]?.thread_pool.write.queue_size).toBe(5);

    expect(await processesMentioning(serviceDir)).toContain(restarted.pid);
    await stack!.stop();
    stack = undefined;
    for (const pid of pids) expect(await gone(pid)).toBe(true);
    expect(await processesMentioning(serviceDir)).toEqual([]);
    expect(await isPortInUse(options.esPort!)).toBe(false);
  });
});
