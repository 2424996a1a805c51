import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tailFile, tailFiles } from '../../src/runtime/log-tail.js';

describe('log tail', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'devstack-tail-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the last lines, skipping blanks', async () => {
    const file = join(dir, 'a.log');
    await writeFile(file, Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n') + '\n\n');
    expect(await tailFile(file, 3)).toEqual(['line 47', 'line 48', 'line 49']);
  });

  it('drops the cut first line when reading only the end', async () => {
    const file = join(dir, 'b.log');
    await writeFile(file, 'x'.repeat(100) + '\nlast\n');
    expect(await tailFile(file, 5, 10)).toEqual(['last']);
  });

  it('returns [] for a missing file and heads blocks with their path', async () => {
    const file = join(dir, 'c.log');
    await writeFile(file, 'only\n');
    expect(await tailFile(join(dir, 'missing.log'), 5)).toEqual([]);
    expect(await tailFiles([join(dir, 'missing.log'), file], 5)).toEqual([`==> ${file} <==`, 'only']);
  });
});
