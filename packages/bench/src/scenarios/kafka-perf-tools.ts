import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { devstackOptionsFromEnv, resolveDevstackOptions } from '@tributary/devstack';
import { BENCH_ERROR_CODES, BenchError } from '../errors.js';

/**
 * The directory of the Kafka jars the devstack resolved (`<cacheDir>/kafka-<version>/libs`, from the devstack's own
 * options and TRIBUTARY_* environment), or undefined when kafka-tools is not there.
 */
export function kafkaToolsLibsDir(): string | undefined {
  const o = resolveDevstackOptions(devstackOptionsFromEnv());
  const libs = join(o.cacheDir, `kafka-${o.kafkaVersion}`, 'libs');
  if (!existsSync(libs)) return undefined;
  return readdirSync(libs).some((f) => /^kafka-tools-\d/.test(f)) ? libs : undefined;
}

export interface ProducerPerformanceSummary {
  readonly records: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly avgMs: number;
  readonly maxMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The summary line itself. */
  readonly summary: string;
}

const PRODUCER_SUMMARY =
  /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th/;

/** The final summary line of ProducerPerformance (or of our producer, which prints the same shape). */
export function parseProducerPerformance(output: string): ProducerPerformanceSummary {
  const lines = output
    .trim()
    .split('\n')
    .filter((l) => PRODUCER_SUMMARY.test(l));
  const m = PRODUCER_SUMMARY.exec(lines.at(-1) ?? '');
  if (m === null)
    throw new BenchError(
      BENCH_ERROR_CODES.IO,
      `no ProducerPerformance summary line in: ${output.slice(-400)}`,
    );
  return {
    records: Number(m[1]),
    recordsPerSec: Number(m[2]),
    mbPerSec: Number(m[3]),
    avgMs: Number(m[4]),
    maxMs: Number(m[5]),
    p50Ms: Number(m[6]),
    p99Ms: Number(m[8]),
    summary: lines.at(-1)!,
  };
}

export interface ConsumerPerformanceSummary {
  readonly messages: number;
  readonly mb: number;
  /** Messages over the whole run, including the group join (rebalance). */
  readonly messagesPerSec: number;
  readonly rebalanceMs: number;
  readonly fetchMs: number;
  /** Messages over the fetch time only (join excluded). */
  readonly fetchMessagesPerSec: number;
}

/**
 * ConsumerPerformance's CSV line: `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg,
 * nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec` (with or without the header).
 */
export function parseConsumerPerformance(output: string): ConsumerPerformanceSummary {
  const rows = output
    .trim()
    .split('\n')
    .map((l) => l.split(',').map((c) => c.trim()))
    .filter((cells) => cells.length >= 10 && Number.isFinite(Number(cells[2])) && cells[2] !== '');
  const row = rows.at(-1);
  if (row === undefined)
    throw new BenchError(
      BENCH_ERROR_CODES.IO,
      `no ConsumerPerformance result line in: ${output.slice(-400)}`,
    );
  return {
    mb: Number(row[2]),
    messages: Number(row[4]),
    messagesPerSec: Number(row[5]),
    rebalanceMs: Number(row[6]),
    fetchMs: Number(row[7]),
    fetchMessagesPerSec: Number(row[9]),
  };
}

/**
 * Runs a class of kafka-tools with the jars of `libs`; resolves to stdout, rejects with stderr's tail. `onSpawn`
 * gets the JVM's pid (to sample its CPU).
 */
export function runKafkaTool(
  libs: string,
  mainClass: string,
  args: readonly string[],
  timeoutMs = 120_000,
  onSpawn?: (pid: number) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-Xmx512m', '-cp', `${libs}/*`, mainClass, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) onSpawn?.(child.pid);
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new BenchError(BENCH_ERROR_CODES.IO, `cannot run java ${mainClass}: ${error.message}`, {
          cause: error,
        }),
      );
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else
        reject(
          new BenchError(
            BENCH_ERROR_CODES.IO,
            `${mainClass} exited ${code ?? signal}: ${err.trim().slice(-600)}`,
          ),
        );
    });
  });
}
