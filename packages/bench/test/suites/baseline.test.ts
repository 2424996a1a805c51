import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baselineDist, importBaseline } from '../../src/suites/baseline.js';

describe('--baseline', () => {
  const checkout = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
  mkdirSync(join(checkout, 'packages', 'schema', 'dist'), { recursive: true });
  writeFileSync(
    join(checkout, 'packages', 'schema', 'dist', 'index.js'),
    'export const VERSION = "0.0.1";\n',
  );
  afterAll(() => rmSync(checkout, { recursive: true, force: true }));

  it("imports a package of the other checkout's build", async () => {
    expect(baselineDist(checkout, 'schema')).toBe(join(checkout, 'packages', 'schema', 'dist'));
    expect((await importBaseline<{ VERSION: string }>(checkout, 'schema')).VERSION).toBe('0.0.1');
  });

  it('says what is missing when the checkout is not built', () => {
    expect(() => baselineDist(checkout, 'processor')).toThrow(
      expect.objectContaining({
        code: 'TRIB_BENCH_INVALID_OPTION',
        option: '--baseline',
        message: expect.stringMatching(/packages\/processor\/dist\/index\.js is missing \(run npm ci/),
      }),
    );
  });
});
