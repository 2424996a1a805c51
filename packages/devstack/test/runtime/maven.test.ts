import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFreeSpace, checkMaven, runMaven } from '../../src/runtime/maven.js';

describe('maven', () => {
  let dir: string;
  const fakeMaven = async (name: string, body: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devstack-mvn-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('MAVEN_MISSING names the command and the fix', async () => {
    const missing = join(dir, 'no-mvn');
    await expect(checkMaven(missing)).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_MAVEN_MISSING',
      message: expect.stringContaining('apt-get install maven'),
    });
    await expect(runMaven(missing, ['x'], 'Kafka', { timeoutMs: 5000 })).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_MAVEN_MISSING',
    });
  });

  it('turns "No space left on device" into DISK_FULL', async () => {
    const mvn = await fakeMaven('mvn-full', 'echo "[ERROR] No space left on device"; exit 1');
    await expect(
      runMaven(mvn, ['dependency:copy'], 'Elasticsearch 8.14.3', { timeoutMs: 5000 }),
    ).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_DISK_FULL',
    });
  });

  it('turns other failures into RESOLVE_FAILED with Maven output', async () => {
    const mvn = await fakeMaven(
      'mvn-404',
      'echo "[ERROR] Could not find artifact org.apache.kafka:kafka_2.13:jar:0.0.1"; exit 1',
    );
    await expect(
      runMaven(mvn, ['dependency:copy'], 'Kafka 0.0.1', { timeoutMs: 5000 }),
    ).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_RESOLVE_FAILED',
      retriable: true,
      message: expect.stringContaining('Could not find artifact'),
    });
  });

  it('passes -B -q and the arguments', async () => {
    const mvn = await fakeMaven('mvn-ok', `echo "$@" > ${join(dir, 'args')}`);
    await runMaven(mvn, ['-f', 'pom.xml', 'goal'], 'Kafka', { timeoutMs: 5000 });
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(join(dir, 'args'), 'utf8')).trim()).toBe('-B -q -f pom.xml goal');
  });

  it('DISK_FULL when less space is free than needed', async () => {
    await expect(assertFreeSpace(dir, Number.MAX_SAFE_INTEGER, 'Elasticsearch')).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_DISK_FULL',
    });
    await expect(assertFreeSpace(dir, 1, 'Elasticsearch')).resolves.toBeUndefined();
  });
});
