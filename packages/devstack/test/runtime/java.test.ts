import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertJavaVersion, checkJava, parseJavaVersion } from '../../src/runtime/java.js';

describe('parseJavaVersion', () => {
  it('reads java.version and java.home from -XshowSettings:properties', () => {
    const output = [
      'Property settings:',
      '    java.home = /usr/lib/jvm/java-17-openjdk-amd64',
      '    java.version = 17.0.15',
      'openjdk version "17.0.15" 2025-04-15',
    ].join('\n');
    expect(parseJavaVersion(output)).toEqual({
      major: 17,
      version: '17.0.15',
      home: '/usr/lib/jvm/java-17-openjdk-amd64',
    });
  });

  it.each([
    ['openjdk version "21" 2023-09-19', 21],
    ['openjdk version "24-ea" 2025-03-18', 24],
    ['java version "1.8.0_292"', 8],
    ['openjdk version "11.0.2" 2019-01-15', 11],
  ])('reads the banner %s', (banner, major) => {
    expect(parseJavaVersion(banner)?.major).toBe(major);
  });

  it('returns undefined without a version', () => {
    expect(parseJavaVersion('command not found')).toBeUndefined();
  });
});

describe('assertJavaVersion', () => {
  it('accepts 17 to 23', () => {
    for (const major of [17, 21, 23]) {
      expect(() =>
        assertJavaVersion({ major, version: String(major), home: undefined }, 'java'),
      ).not.toThrow();
    }
  });
  it.each([11, 24, 8])('rejects %i with the fix', (major) => {
    expect(() => assertJavaVersion({ major, version: String(major), home: undefined }, 'java')).toThrow(
      expect.objectContaining({
        code: 'TRIB_DEVSTACK_JAVA_VERSION',
        message: expect.stringContaining('Java 17 to 23'),
      }),
    );
  });
});

describe('checkJava', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devstack-java-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('throws JAVA_MISSING naming the command when it does not exist', async () => {
    const missing = join(dir, 'no-such-java');
    await expect(checkJava(missing)).rejects.toMatchObject({
      code: 'TRIB_DEVSTACK_JAVA_MISSING',
      message: expect.stringContaining(missing),
    });
  });

  it('throws JAVA_VERSION for an old java', async () => {
    const fake = join(dir, 'java11');
    await writeFile(fake, '#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n');
    await chmod(fake, 0o755);
    await expect(checkJava(fake)).rejects.toMatchObject({ code: 'TRIB_DEVSTACK_JAVA_VERSION' });
  });

  it('returns version and home for a good java', async () => {
    const fake = join(dir, 'java21');
    await writeFile(fake, '#!/bin/sh\necho "    java.home = /opt/jdk21\n    java.version = 21.0.4" >&2\n');
    await chmod(fake, 0o755);
    await expect(checkJava(fake)).resolves.toEqual({ major: 21, version: '21.0.4', home: '/opt/jdk21' });
  });
});
