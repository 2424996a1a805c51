import { execFile } from 'node:child_process';
import { statfs } from 'node:fs/promises';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';

/** Maven output or errno text that means the disk is full. */
const DISK_FULL = /No space left on device|ENOSPC|Disk quota exceeded/i;

export interface CommandResult {
  code: number | null;
  output: string;
  missing: boolean;
}

/** Runs a command (with `input` on its stdin), collecting stdout+stderr; never rejects (ENOENT is reported as `missing`). */
export function runCommand(
  command: string,
  args: readonly string[],
  options: {
    cwd?: string;
    timeoutMs?: number;
    env?: NodeJS.ProcessEnv;
    input?: string;
    /** Run as this user and group (a tool working on a server's files when we are root). */
    runAs?: { uid: number; gid: number } | undefined;
  } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      [...args],
      {
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 0,
        env: options.env ?? process.env,
        maxBuffer: 32 * 1024 * 1024,
        ...(options.runAs === undefined ? {} : { uid: options.runAs.uid, gid: options.runAs.gid }),
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error === null) return resolve({ code: 0, output, missing: false });
        const errno = (error as NodeJS.ErrnoException).code;
        resolve({
          code: typeof error.code === 'number' ? error.code : null,
          output: `${output}${error.message}`,
          missing: errno === 'ENOENT',
        });
      },
    );
    if (options.input !== undefined) {
      // A tool that exits without reading it must not fail the write (EPIPE): its exit code tells.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
  });
}

/** Throws `TRIB_DEVSTACK_MAVEN_MISSING` unless `mvn -v` runs. Only called when the cache needs a download. */
export async function checkMaven(mavenCommand: string): Promise<void> {
  const result = await runCommand(mavenCommand, ['-v'], { timeoutMs: 60_000 });
  if (result.missing || result.code !== 0) {
    throw new DevstackError(
      DEVSTACK_ERROR_CODES.MAVEN_MISSING,
      `Maven was not found or does not run (tried "${mavenCommand} -v"); it is needed once, to download Kafka and ` +
        'Elasticsearch from Maven Central into the cache. Fix: install it (e.g. `apt-get install maven`) or pass ' +
        'mavenCommand / --mvn with its path.',
    );
  }
}

/** Throws `TRIB_DEVSTACK_DISK_FULL` when `dir`'s filesystem has less than `bytes` available. */
export async function assertFreeSpace(dir: string, bytes: number, what: string): Promise<void> {
  const stats = await statfs(dir).catch(() => undefined);
  if (stats === undefined) return;
  const available = stats.bavail * stats.bsize;
  if (available < bytes) {
    throw new DevstackError(
      DEVSTACK_ERROR_CODES.DISK_FULL,
      `Only ${Math.round(available / 1e6)} MB free in ${dir}; ${what} needs about ${Math.round(bytes / 1e6)} MB. ` +
        'Fix: free disk space, or point cacheDir / TRIBUTARY_DEVSTACK_CACHE at a larger disk.',
    );
  }
}

/** Runs Maven in batch mode; a failure becomes `TRIB_DEVSTACK_RESOLVE_FAILED` (or `…_DISK_FULL`) with Maven's output. */
export async function runMaven(
  mavenCommand: string,
  args: readonly string[],
  what: string,
  options: { cwd?: string; timeoutMs: number },
): Promise<void> {
  const result = await runCommand(mavenCommand, ['-B', '-q', ...args], options);
  if (result.missing) await checkMaven(mavenCommand);
  if (result.code === 0) return;
  const tail = result.output.trim().split('\n').slice(-25).join('\n');
  if (DISK_FULL.test(result.output)) {
    throw new DevstackError(
      DEVSTACK_ERROR_CODES.DISK_FULL,
      `The disk filled up while Maven downloaded ${what}. Fix: free disk space (Maven also writes to ~/.m2), ` +
        `or point cacheDir / TRIBUTARY_DEVSTACK_CACHE at a larger disk.\n${tail}`,
    );
  }
  throw new DevstackError(
    DEVSTACK_ERROR_CODES.RESOLVE_FAILED,
    `Maven could not download ${what} (${mavenCommand} ${args.join(' ')}). Fix: check that Maven Central ` +
      '(https://repo.maven.apache.org) is reachable (proxy settings in ~/.m2/settings.xml) and that the version ' +
      `exists.\n${tail}`,
    { retriable: true },
  );
}
