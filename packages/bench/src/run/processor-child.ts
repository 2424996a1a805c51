import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BENCH_ERROR_CODES, BenchError } from '../errors.js';
import { ProbeCollector } from '../probe/probe-collector.js';
import { PROBE_ENV, PROBE_MESSAGE_KIND, type ProbeConfig, type WindowAck } from '../probe/probe-protocol.js';

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

/**
 * The built probe module (`dist/probe/child-probe.js`): the same path from `src/run` (tests) and `dist/run`, so the
 * child always loads JavaScript.
 */
export function childProbePath(): string {
  return fileURLToPath(new URL('../../dist/probe/child-probe.js', import.meta.url));
}

export interface ProcessorProbeOptions {
  /** The input topic whose records are timed to consumption. */
  readonly inputTopic: string;
  /** Report interval of the probe, ms. */
  readonly intervalMs?: number;
  /** Final window documents acknowledged by Elasticsearch, as the probe reports them. */
  readonly onWindowAck?: (ack: WindowAck) => void;
}

export interface ProcessorProbe {
  readonly collector: ProbeCollector;
  /** Records with a timestamp ≥ `fromMs` are measured; the child's event-loop delay is reset at `fromMs`. */
  measureFrom(fromMs: number): void;
  /** Asks the child to report now and waits for that report (or `timeoutMs`); false when it did not come. */
  flush(timeoutMs?: number): Promise<boolean>;
}

export interface ProcessorChild {
  readonly pid: number;
  /** The in-process probe (with `probe` options only). */
  readonly probe: ProcessorProbe | undefined;
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
  probeOptions?: ProcessorProbeOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProcessorChild> {
  const started = performance.now();
  const cli = processorCliPath();
  const probePath = childProbePath();
  if (probeOptions !== undefined && !existsSync(probePath)) {
    throw new BenchError(
      BENCH_ERROR_CODES.NOT_WIRED,
      `the processor probe ${probePath} is not built; run npx nx build @tributary/bench`,
    );
  }
  const probeConfig: ProbeConfig | undefined =
    probeOptions === undefined
      ? undefined
      : {
          inputTopic: probeOptions.inputTopic,
          resolveFrom: cli,
          intervalMs: probeOptions.intervalMs ?? 1000,
        };
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(probeConfig === undefined ? [] : ['--import', pathToFileURL(probePath).href]),
      cli,
      'clickstream',
      ...processorFlags(config),
    ],
    probeConfig === undefined
      ? { stdio: ['ignore', 'pipe', 'pipe'], env }
      : {
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
          env: { ...env, [PROBE_ENV]: JSON.stringify(probeConfig) },
        },
  );
  let probe: ProcessorProbe | undefined;
  if (probeOptions !== undefined) {
    const collector = new ProbeCollector(
      probeOptions.onWindowAck === undefined ? {} : { onWindowAck: probeOptions.onWindowAck },
    );
    const waiting = new Map<number, () => void>();
    let nextFlush = 0;
    child.on('message', (message: unknown) => {
      collector.accept(message);
      const id = (message as { flushId?: unknown } | null)?.flushId;
      if (typeof id === 'number') waiting.get(id)?.();
    });
    const post = (message: object): boolean => {
      if (!child.connected) return false;
      try {
        return child.send({ kind: PROBE_MESSAGE_KIND, ...message });
      } catch {
        return false;
      }
    };
    probe = {
      collector,
      measureFrom: (fromMs) => void post({ type: 'measure', fromMs }),
      flush: (timeoutMs = 5000) =>
        new Promise<boolean>((resolve) => {
          const id = ++nextFlush;
          const timer = setTimeout(() => {
            waiting.delete(id);
            resolve(false);
          }, timeoutMs);
          waiting.set(id, () => {
            clearTimeout(timer);
            waiting.delete(id);
            resolve(true);
          });
          if (!post({ type: 'flush', id })) {
            clearTimeout(timer);
            waiting.delete(id);
            resolve(false);
          }
        }),
    };
  }
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
      // The CLI's human line, printed once the app (job and its Elasticsearch connectors) is running; the job's own
      // JSON log line "job running" comes earlier and must not count.
      if (stdout.includes('clickstream running')) {
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
    probe,
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
