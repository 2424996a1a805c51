import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BENCH_ERROR_CODES, BenchError } from '../errors.js';
import { ProbeCollector } from '../probe/probe-collector.js';
import { startChildJob, type ChildJob } from './child-job.js';
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

export interface ProcessorChild extends ChildJob {
  /** The in-process probe (with `probe` options only). */
  readonly probe: ProcessorProbe | undefined;
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
  let probe: ProcessorProbe | undefined;
  const job = await startChildJob({
    name: 'the processor',
    command: process.execPath,
    args: [
      ...(probeConfig === undefined ? [] : ['--import', pathToFileURL(probePath).href]),
      cli,
      'clickstream',
      ...processorFlags(config),
    ],
    env: probeConfig === undefined ? env : { ...env, [PROBE_ENV]: JSON.stringify(probeConfig) },
    ipc: probeConfig !== undefined,
    // The CLI's human line, printed once the app (job and its Elasticsearch connectors) is running; the job's own
    // JSON log line "job running" comes earlier and must not count.
    readyText: 'clickstream running',
    startTimeoutMs,
    onSpawn: (child) => {
      if (probeOptions !== undefined) probe = attachProbe(child, probeOptions);
    },
  });
  return { ...job, probe };
}

/** The bench's side of the probe inside the child: collects its reports, sends `measure` and `flush`. */
function attachProbe(child: ChildProcess, probeOptions: ProcessorProbeOptions): ProcessorProbe {
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
  return {
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
