import { spawn, type ChildProcess } from 'node:child_process';
import { BENCH_ERROR_CODES, BenchError } from '../errors.js';

/** A job running in a child process of the bench: the processor CLI or a JVM peer. */
export interface ChildJob {
  readonly pid: number;
  /** Spawn → the job printed its ready line, ms. */
  readonly startupMs: number;
  /** Exit code or signal once the process ended on its own; undefined while it runs. */
  readonly exited: () => string | undefined;
  /** The last few kB the process wrote to stderr. */
  readonly stderrTail: () => string;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves when the process has exited. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface ChildJobOptions {
  /** What the errors call the job (`the processor`, `the flink peer`). */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** The job is running once its stdout contains this text. */
  readonly readyText: string;
  /** @defaultValue 120 000 */
  readonly startTimeoutMs?: number;
  /** Open an IPC channel (a Node child with the bench's probe). */
  readonly ipc?: boolean;
  /** Called right after spawning, before waiting (to attach message handlers). */
  readonly onSpawn?: (child: ChildProcess) => void;
}

/** Spawns the job and waits until it prints `readyText`; rejects (and kills it) if it exits or times out first. */
export async function startChildJob(o: ChildJobOptions): Promise<ChildJob> {
  const started = performance.now();
  const startTimeoutMs = o.startTimeoutMs ?? 120_000;
  const child = spawn(o.command, [...o.args], {
    stdio: o.ipc === true ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    env: o.env ?? process.env,
  });
  o.onSpawn?.(child);
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
        new BenchError(BENCH_ERROR_CODES.IO, `${o.name} did not report running within ${startTimeoutMs} ms`),
      );
    }, startTimeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout = (stdout + chunk.toString()).slice(-(o.readyText.length + 4096));
      if (stdout.includes(o.readyText)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new BenchError(
          BENCH_ERROR_CODES.IO,
          `${o.name} exited with code ${code} before running: ${stderr.trim()}`,
        ),
      );
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new BenchError(BENCH_ERROR_CODES.IO, `cannot start ${o.name}: ${error.message}`, { cause: error }),
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
