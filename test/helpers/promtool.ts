import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Debian's promtool (installed by scripts/ensure-system-tools.mjs in `npm test`). */
const PROMTOOL = '/usr/bin/promtool';

/** Runs promtool in `cwd`; resolves with its exit code and output (stdout + stderr), never rejects. */
export function promtool(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(PROMTOOL, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** Writes alerts.yml and alerts.test.yml into `scratch/name` (a modified copy, never the shipped files). */
export async function writeRulesCopy(
  scratch: string,
  name: string,
  rules: string,
  tests: string,
): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'alerts.yml'), rules);
  await writeFile(join(dir, 'alerts.test.yml'), tests);
  return dir;
}
