import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_MARKER, isCached, resolveIntoCache } from '../../src/runtime/cache.js';

describe('resolveIntoCache', () => {
  let cache: string;
  beforeAll(async () => {
    cache = join(await mkdtemp(join(tmpdir(), 'devstack-cache-')), 'nested');
  });
  afterAll(async () => {
    await rm(join(cache, '..'), { recursive: true, force: true });
  });

  it('populates once, writes the marker, then reuses the entry', async () => {
    let calls = 0;
    const populate = async (dir: string): Promise<void> => {
      calls++;
      await writeFile(join(dir, 'lib.jar'), 'jar');
    };
    const first = await resolveIntoCache(cache, 'kafka-9.9.9', populate);
    const second = await resolveIntoCache(cache, 'kafka-9.9.9', populate);
    expect(first).toEqual({ dir: join(cache, 'kafka-9.9.9'), downloaded: true });
    expect(second.downloaded).toBe(false);
    expect(calls).toBe(1);
    expect(await readFile(join(first.dir, 'lib.jar'), 'utf8')).toBe('jar');
    expect(await isCached(cache, 'kafka-9.9.9')).toBe(true);
    expect(await readdir(first.dir)).toContain(CACHE_MARKER);
  });

  it('leaves no entry and no temporary directory when populating fails', async () => {
    await expect(
      resolveIntoCache(cache, 'broken-1.0.0', async () => {
        throw new Error('download failed');
      }),
    ).rejects.toThrow('download failed');
    expect(await isCached(cache, 'broken-1.0.0')).toBe(false);
    expect((await readdir(cache)).filter((name) => name.includes('broken'))).toEqual([]);
  });
});
