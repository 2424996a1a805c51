import { describe, expect, it } from 'vitest';
import { collectEnvironment, installedVersion, javaVersion } from '../../src/report/environment.js';

describe('collectEnvironment', () => {
  it('records node, os, cpu, memory and library versions, with caller versions on top', async () => {
    const env = await collectEnvironment({ java: null, versions: { kafka: '3.9.1' } });
    expect(env.node).toBe(process.version);
    expect(env.java).toBeNull();
    expect(env.cpu.cores).toBeGreaterThanOrEqual(1);
    expect(env.memoryMB).toBeGreaterThan(0);
    expect(env.os.platform).toBe(process.platform);
    expect(env.versions['hdr-histogram-js']).toMatch(/^3\./);
    expect(env.versions.kafka).toBe('3.9.1');
  });

  it('reports unknown packages and missing java as null', async () => {
    expect(installedVersion('surely-not-installed-package-xyz')).toBeNull();
    expect(await javaVersion('/nonexistent/java')).toBeNull();
  });
});
