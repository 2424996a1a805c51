import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BENCH_ERROR_CODES, BenchError } from '../errors.js';

const require = createRequire(import.meta.url);

/** Path of the `tributary-processor` CLI (its package.json `bin`) of the installed @tributary/processor. */
export function processorCliPath(): string {
  const manifest = require.resolve('@tributary/processor/package.json');
  const pkg = require(manifest) as { bin?: Record<string, string> };
  const bin = pkg.bin?.['tributary-processor'];
  if (bin === undefined) {
    throw new BenchError(
      BENCH_ERROR_CODES.NOT_WIRED,
      '@tributary/processor declares no tributary-processor binary',
    );
  }
  return join(dirname(manifest), bin);
}

/** `applicationId` → `--application-id`, as the processor CLI spells its flags. */
export function processorFlags(config: Readonly<Record<string, string | number | boolean>>): string[] {
  return Object.entries(config).flatMap(([key, value]) => {
    const flag = `--${key.replace(/([A-Z])/g, '-$1').toLowerCase()}`;
    if (typeof value === 'boolean') return value ? [flag] : [`--no-${flag.slice(2)}`];
    return [flag, String(value)];
  });
}

export interface ProcessorChild {
  readonly pid: number;
  /** Spawn → the CLI reported the job running (partitions assigned, topics created), ms. */
  readonly startupMs: number;
  /** Exit code or signal once the process ended on its own; undefined while it runs. */
  readonly exited: () => string | undefined;
  /** The last few kB the process wrote to stderr. */
  readonly stderrTail: () => string;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves when the process has exited. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Runs `tributary-processor clickstream` in its own process, so its CPU, RSS and event loop are its own, and waits
 * for the line saying the job runs.
 */
export async function startProcessorChild(
  config: Readonly<Record<string, string | number | boolean>>,
  startTimeoutMs = 120_000,
): Promise<ProcessorChild> {
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [processorCliPath(), 'clickstream', ...processorFlags(config)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new BenchError(
          BENCH_ERROR_CODES.IO,
          `the processor did not report running within ${startTimeoutMs} ms`,
        ),
      );
    }, startTimeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new BenchError(
          BENCH_ERROR_CODES.IO,
          `the processor exited with code ${code} before running: ${stderr.trim()}`,
        ),
      );
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new BenchError(BENCH_ERROR_CODES.IO, `cannot start the processor: ${error.message}`, {
          cause: error,
        }),
      );
    });
  });
  const startupMs = performance.now() - started;
  child.stdout?.resume();
  return {
    pid: child.pid!,
    startupMs,
    exited: () =>
      child.exitCode !== null
        ? `code ${child.exitCode}`
        : child.signalCode !== null
          ? child.signalCode
          : undefined,
    stderrTail: () => stderr.trim(),
    stop: async (timeoutMs = 30_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
