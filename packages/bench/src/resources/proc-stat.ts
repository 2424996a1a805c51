import { readFile, readdir } from 'node:fs/promises';
import { BENCH_ERROR_CODES, BenchError } from '../errors.js';

/** Fields of `/proc/<pid>/stat` the bench uses. Times are in clock ticks (`getconf CLK_TCK`, 100 on Linux). */
export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly state: string;
  /** Parent pid (field 4). */
  readonly ppid: number;
  readonly utimeTicks: number;
  readonly stimeTicks: number;
  /** Process start time, ticks after boot. */
  readonly startTimeTicks: number;
}

/** Fields of `/proc/<pid>/status` the bench uses. */
export interface ProcStatus {
  /** Resident set size, bytes (`VmRSS`). */
  readonly rssBytes: number;
  /** Peak resident set size, bytes (`VmHWM`). */
  readonly peakRssBytes: number;
  readonly threads: number;
}

/**
 * Parses `/proc/<pid>/stat`. The command name (field 2) is in parentheses and may itself contain spaces and
 * parentheses, so fields are counted from the last `)`.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new SyntaxError('not a /proc/<pid>/stat line');
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state); utime is field 14, stime 15, starttime 22.
  const field = (n: number): number => {
    const value = Number(rest[n - 3]);
    if (!Number.isFinite(value)) throw new SyntaxError(`/proc/<pid>/stat field ${n} is not a number`);
    return value;
  };
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: field(4),
    utimeTicks: field(14),
    stimeTicks: field(15),
    startTimeTicks: field(22),
  };
}

/** Parses `/proc/<pid>/status` (`VmRSS`, `VmHWM` in kB, `Threads`). Missing fields (kernel threads) read as 0. */
export function parseProcStatus(text: string): ProcStatus {
  const kb = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  };
  const threads = /^Threads:\s+(\d+)/m.exec(text);
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM'), threads: threads ? Number(threads[1]) : 0 };
}

/** A reading of another process: cumulative CPU time and current memory. */
export interface ProcessReading {
  readonly pid: number;
  /** User + system CPU time since the process started, ms. */
  readonly cpuMs: number;
  readonly rssBytes: number;
  /** Peak RSS since the process started (`VmHWM`). */
  readonly peakRssBytes: number;
}

export interface ProcReaderOptions {
  /** @defaultValue `process.platform` */
  readonly platform?: NodeJS.Platform;
  /** Clock ticks per second of `/proc/<pid>/stat` times. @defaultValue 100 (USER_HZ on every mainstream Linux) */
  readonly clockTicksPerSec?: number;
  /** @defaultValue '/proc' */
  readonly procRoot?: string;
  readonly readText?: (path: string) => Promise<string>;
}

/** True when `/proc` readings are possible here (Linux). */
export function procAvailable(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux';
}

/**
 * Reads CPU time (utime + stime) and VmRSS of any process, e.g. the Kafka and Elasticsearch JVMs. Linux only:
 * elsewhere it throws `TRIB_BENCH_PROC_UNAVAILABLE`, and reports leave those columns empty rather than guess.
 */
export async function readProcess(pid: number, options: ProcReaderOptions = {}): Promise<ProcessReading> {
  const platform = options.platform ?? process.platform;
  if (!procAvailable(platform)) {
    throw new BenchError(
      BENCH_ERROR_CODES.PROC_UNAVAILABLE,
      `per-process CPU and RSS of other processes need /proc (Linux); not available on ${platform}`,
      { details: { pid, platform } },
    );
  }
  const root = options.procRoot ?? '/proc';
  const read = options.readText ?? ((path: string) => readFile(path, 'utf8'));
  const ticks = options.clockTicksPerSec ?? 100;
  let statText: string;
  let statusText: string;
  try {
    [statText, statusText] = await Promise.all([read(`${root}/${pid}/stat`), read(`${root}/${pid}/status`)]);
  } catch (cause) {
    throw new BenchError(
      BENCH_ERROR_CODES.PROC_UNAVAILABLE,
      `cannot read ${root}/${pid}: process gone or not readable`,
      {
        cause,
        retriable: true,
        details: { pid },
      },
    );
  }
  const stat = parseProcStat(statText);
  const status = parseProcStatus(statusText);
  return {
    pid,
    cpuMs: ((stat.utimeTicks + stat.stimeTicks) * 1000) / ticks,
    rssBytes: status.rssBytes,
    peakRssBytes: status.peakRssBytes,
  };
}

/**
 * Pids whose command line (`/proc/<pid>/cmdline`, arguments joined by spaces) matches `pattern`, e.g.
 * `/kafka\.Kafka/` or `/org\.elasticsearch\.bootstrap\.Elasticsearch/`. Empty off Linux.
 */
export async function findProcesses(pattern: RegExp, options: ProcReaderOptions = {}): Promise<number[]> {
  if (!procAvailable(options.platform ?? process.platform)) return [];
  const root = options.procRoot ?? '/proc';
  const read = options.readText ?? ((path: string) => readFile(path, 'utf8'));
  const pids = (await readdir(root)).filter((name) => /^\d+$/.test(name)).map(Number);
  const found: number[] = [];
  await Promise.all(
    pids.map(async (pid) => {
      if (pid === process.pid) return;
      try {
        const cmdline = (await read(`${root}/${pid}/cmdline`)).split('\0').join(' ');
        if (pattern.test(cmdline)) found.push(pid);
      } catch {
        // Process exited while listing: not a match.
      }
    }),
  );
  return found.sort((a, b) => a - b);
}
