import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafkaClient } from '@tributary/kafka';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  devstackStatus,
  freePorts,
  isPortInUse,
  startDevstack,
  stopDevstack,
  type Devstack,
  type DevstackOptions,
} from '../src/index.js';
import { isGroupAlive } from '../src/runtime/process-group.js';

describe('a second, cold devstack on free ports', () => {
  let dataDir: string;
  let options: DevstackOptions;
  let stack: Devstack | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'devstack-it-data-'));
    options = {
      ...(await freePorts('kafkaPort', 'kafkaControllerPort', 'esPort', 'esTransportPort')),
      kafkaHeap: '512m',
      esHeap: '512m',
      dataDir,
      writeQueueSize: 1,
      writeThreadPoolSize: 1,
      log: (line) => lines.push(line),
    };
    stack = await startDevstack(options);
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts both servers, measures their startup and reports them', () => {
    expect(stack?.kafka).toMatchObject({ reused: false, version: '3.9.1', port: options.kafkaPort });
    expect(stack?.kafka?.brokers).toEqual([`127.0.0.1:${options.kafkaPort}`]);
    expect(stack?.kafka?.startupMs).toBeGreaterThan(0);
    expect(stack?.elasticsearch).toMatchObject({
      reused: false,
      version: '8.14.3',
      url: `http://127.0.0.1:${options.esPort}`,
    });
    expect(stack?.elasticsearch?.startupMs).toBeGreaterThan(0);
    expect(stack?.dataDir).toBe(dataDir);
    expect(lines.some((l) => /\[kafka\] healthy in \d+ ms/.test(l))).toBe(true);
    expect(lines.some((l) => /\[elasticsearch\] healthy in \d+ ms/.test(l))).toBe(true);
    console.log(
      `cold devstack: kafka ${stack?.kafka?.startupMs} ms, elasticsearch ${stack?.elasticsearch?.startupMs} ms`,
    );
  });

  it('is not the shared stack', () => {
    expect(stack?.kafka?.brokers).not.toEqual(inject('kafkaBrokers'));
    expect(stack?.elasticsearch?.url).not.toBe(inject('elasticsearchUrl'));
  });

  it('has a working broker and the tiny write queue asked for', async () => {
    const admin = createKafkaClient({ clientId: 'devstack-it', brokers: stack!.kafka!.brokers }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'cold', numPartitions: 2 }], waitForLeaders: true });
    expect((await admin.fetchTopicMetadata({ topics: ['cold'] })).topics[0]?.partitions).toHaveLength(2);
    await admin.disconnect();
    const response = await fetch(
      `${stack!.elasticsearch!.url}/_nodes/_local/thread_pool?filter_path=nodes.*.thread_pool.write`,
    );
    const body = (await response.json()) as {
      nodes: Record<string, { thread_pool: { write: { queue_size: number; size: number } } }>;
    };
    expect(Object.values(body.nodes)[0]?.thread_pool.write).toMatchObject({ queue_size: 1, size: 1 });
  });

  it('is reported by status as managed and healthy, and reused by a second start that does not stop it', async () => {
    const status = await devstackStatus(options);
    expect(status.kafka).toMatchObject({
      healthy: true,
      managed: true,
      pid: stack?.kafka?.pid,
      version: '3.9.1',
    });
    expect(status.elasticsearch).toMatchObject({
      healthy: true,
      managed: true,
      pid: stack?.elasticsearch?.pid,
      version: '8.14.3',
    });

    const again = await startDevstack({ ...options, log: () => {} });
    expect(again.kafka).toMatchObject({
      reused: true,
      pid: stack?.kafka?.pid,
      version: '3.9.1',
      startupMs: 0,
    });
    expect(again.elasticsearch).toMatchObject({
      reused: true,
      pid: stack?.elasticsearch?.pid,
      version: '8.14.3',
    });
    await again.stop();
    expect(isGroupAlive(stack!.kafka!.pid!)).toBe(true);
    expect(isGroupAlive(stack!.elasticsearch!.pid!)).toBe(true);
  });

  it('refuses to reuse when reuse is false', async () => {
    await expect(startDevstack({ ...options, reuse: false })).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_PORT_IN_USE',
    });
  });

  it('stops without leaving a process behind, freeing the ports', async () => {
    const pids = [stack!.kafka!.pid!, stack!.elasticsearch!.pid!];
    await stack!.stop();
    stack = undefined;
    for (const pid of pids) expect(isGroupAlive(pid)).toBe(false);
    for (const port of [
      options.kafkaPort!,
      options.kafkaControllerPort!,
      options.esPort!,
      options.esTransportPort!,
    ]) {
      expect(await isPortInUse(port)).toBe(false);
    }
    // dataDir was given: it is kept (only a devstack-created temp dir is removed).
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining(['kafka', 'elasticsearch']));
    expect(await stopDevstack({ ...options, log: () => {} })).toEqual([
      { service: 'kafka', port: options.kafkaPort, result: 'not-running', pid: undefined },
      { service: 'elasticsearch', port: options.esPort, result: 'not-running', pid: undefined },
    ]);
  });
});
