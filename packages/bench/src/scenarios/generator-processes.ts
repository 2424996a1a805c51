import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BENCH_ERROR_CODES, BenchError } from '../errors.js';

const require = createRequire(import.meta.url);

/** Path of the `tributary-produce` CLI of the installed @tributary/producer. */
export function producerCliPath(): string {
  const manifest = require.resolve('@tributary/producer/package.json');
  const pkg = require(manifest) as { bin?: Record<string, string> };
  const bin = pkg.bin?.['tributary-produce'];
  if (bin === undefined) {
    throw new BenchError(
      BENCH_ERROR_CODES.NOT_WIRED,
      '@tributary/producer declares no tributary-produce binary',
    );
  }
  return join(dirname(manifest), bin);
}

/** How many generator processes share `rate`: one per `ratePerGenerator` events/s (at least 1, at most `max`). */
export function generatorCount(rate: number, ratePerGenerator: number, max: number): number {
  return Math.max(1, Math.min(max, Math.ceil(rate / ratePerGenerator)));
}

/** What one generator process reported (`tributary-produce run --json`). */
export interface GeneratorReport {
  readonly sent: number;
  readonly recordsPerSec: number;
  readonly latency: { readonly count: number; readonly p99Ms: number };
}

/** The step as the generators together produced it. */
export interface CombinedGeneratorReport {
  readonly generators: number;
  readonly sent: number;
  /** Sum of the processes' acknowledged records per second. */
  readonly recordsPerSec: number;
  /** Largest per-process produce-ack p99 (from intended send time): a process's p99 is not mergeable. */
  readonly ackP99Ms: number;
}

export function combineGeneratorReports(reports: readonly GeneratorReport[]): CombinedGeneratorReport {
  return {
    generators: reports.length,
    sent: reports.reduce((s, r) => s + r.sent, 0),
    recordsPerSec: reports.reduce((s, r) => s + r.recordsPerSec, 0),
    ackP99Ms: Math.max(0, ...reports.filter((r) => r.latency.count > 0).map((r) => r.latency.p99Ms)),
  };
}

export interface GeneratorStepOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly partitions: number;
  /** Total intended events/s, split evenly over the processes. */
  readonly rate: number;
  readonly generators: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly windowSizeMs: number;
  readonly outOfOrdernessMs: number;
  readonly pages: number;
  /** Process i uses seed `seed + i`, so the processes send different events (none is dropped as a duplicate). */
  readonly seed: number;
  readonly clientId: string;
  /** More variables for the processes (the Kafka TLS/SASL ones). */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

function runOne(o: GeneratorStepOptions, index: number): Promise<GeneratorReport> {
  const args = [
    producerCliPath(),
    'run',
    '--json',
    '--no-create-topic',
    '--progress-interval',
    '0',
    '--brokers',
    o.brokers.join(','),
    '--topic',
    o.topic,
    '--partitions',
    String(o.partitions),
    '--client-id',
    `${o.clientId}-${index}`,
    '--rate',
    String(Math.max(1, Math.round(o.rate / o.generators))),
    '--duration',
    `${o.durationMs}ms`,
    '--warmup',
    `${o.warmupMs}ms`,
    '--window-size',
    `${o.windowSizeMs}ms`,
    '--out-of-orderness',
    `${o.outOfOrdernessMs}ms`,
    '--pages',
    String(o.pages),
    '--seed',
    String(o.seed + index),
  ];
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...o.env };
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024, env }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(
          new BenchError(
            BENCH_ERROR_CODES.IO,
            `generator process ${index} failed: ${stderr.trim().slice(-400) || error.message}`,
            { cause: error },
          ),
        );
        return;
      }
      try {
        resolve(JSON.parse(stdout) as GeneratorReport);
      } catch (cause) {
        reject(
          new BenchError(BENCH_ERROR_CODES.IO, `generator process ${index} printed no JSON report`, {
            cause,
          }),
        );
      }
    });
  });
}

/**
 * One step of load from `generators` separate `tributary-produce run` processes at `rate / generators` each, so the
 * load generator is not one event loop (a single process tops out below what the pipeline may sustain). Resolves
 * when every process has reported.
 */
export async function runGeneratorProcesses(o: GeneratorStepOptions): Promise<CombinedGeneratorReport> {
  const reports = await Promise.all(Array.from({ length: o.generators }, (_, i) => runOne(o, i)));
  return combineGeneratorReports(reports);
}
