import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { readProcess, type ProcessReading } from '../../resources/proc-stat.js';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ChildHandle {
  readonly child: ChildProcess;
  readonly exited: Promise<ChildExit>;
  output(): { stdout: string; stderr: string };
}

/** Starts `node <nodeFlags> <args>` with its output captured. */
export function spawnNode(
  args: readonly string[],
  nodeFlags: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ChildHandle {
  const child = spawn(process.execPath, [...nodeFlags, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('error', (error) => (stderr += `\n${error.message}`));
  const exited = new Promise<ChildExit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** SIGTERM, then SIGKILL after 30 s. */
export async function stopChild(handle: ChildHandle): Promise<ChildExit> {
  if (handle.child.exitCode === null && handle.child.signalCode === null) handle.child.kill('SIGTERM');
  const timer = setTimeout(() => handle.child.kill('SIGKILL'), 30_000);
  const exit = await handle.exited;
  clearTimeout(timer);
  return exit;
}

export interface Progress {
  /** The contender is consuming (group joined). */
  readonly started: boolean;
  readonly done: number;
  readonly total: number;
}

interface Mark {
  readonly at: number;
  readonly done: number;
  readonly cpuSec: number;
}

/** A contender's progress and the child's CPU (from /proc) at its first and last observed progress. */
export interface Watched {
  readonly spawnedAt: number;
  readonly startCpuSec: number;
  first: Mark;
  readonly last: Mark;
  readonly peakRssMb: number;
}

const MB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Samples the child's CPU and RSS (the bench's /proc reader) every 100 ms until `progress()` reports completion;
 * throws when the child exits early or is not done within `timeoutMs`.
 */
export async function watchChild(
  handle: ChildHandle,
  label: string,
  timeoutMs: number,
  progress: () => Promise<Progress>,
  log: (line: string) => void,
): Promise<Watched> {
  const pid = handle.child.pid!;
  const read = (): Promise<ProcessReading | undefined> => readProcess(pid).catch(() => undefined);
  const spawnedAt = Date.now();
  const startCpuSec = ((await read())?.cpuMs ?? 0) / 1000;
  let first: Mark | undefined;
  let peakRssMb = 0;
  let lastLog = spawnedAt;
  for (;;) {
    if (handle.child.exitCode !== null || handle.child.signalCode !== null) {
      const { stderr, stdout } = handle.output();
      throw new Error(
        `${label} exited early (${handle.child.exitCode ?? handle.child.signalCode}):\n${stderr.slice(-3000)}${stdout.slice(-1000)}`,
      );
    }
    if (Date.now() - spawnedAt > timeoutMs) throw new Error(`${label}: not done after ${timeoutMs} ms`);
    const sample = await read();
    const p = await progress();
    const at = Date.now();
    if (sample !== undefined) {
      peakRssMb = Math.max(peakRssMb, sample.peakRssBytes / MB);
      const mark = { at, done: p.done, cpuSec: sample.cpuMs / 1000 };
      if (first === undefined && p.started) first = mark;
      if (p.done >= p.total) return { spawnedAt, startCpuSec, first: first ?? mark, last: mark, peakRssMb };
    }
    if (at - lastLog >= 5_000) {
      lastLog = at;
      log(
        `${label}: ${p.done}/${p.total} (${sample === undefined ? '?' : (sample.rssBytes / MB).toFixed(0)} MB RSS)`,
      );
    }
    await sleep(100);
  }
}

/** A contender's figures: rate from the group join (and from spawn), CPU, records per CPU-second, peak RSS. */
export type ThroughputFigures = ReturnType<typeof throughputFigures>;

export function throughputFigures(label: string, n: number, w: Watched) {
  const steadySec = (w.last.at - w.first.at) / 1000;
  const steadyRecords = n - w.first.done;
  const steadyCpu = w.last.cpuSec - w.first.cpuSec;
  const totalSec = (w.last.at - w.spawnedAt) / 1000;
  return {
    label,
    records: n,
    totalSec,
    recordsPerSecTotal: Math.round(n / totalSec),
    steadySec,
    recordsPerSec: Math.round(steadyRecords / steadySec),
    cpuSecTotal: w.last.cpuSec - w.startCpuSec,
    cpuPercent: Math.round((steadyCpu / steadySec) * 100),
    recordsPerCpuSec: Math.round(steadyRecords / steadyCpu),
    peakRssMb: Math.round(w.peakRssMb),
    loadavg1: Number(loadavg()[0]!.toFixed(1)),
  };
}
