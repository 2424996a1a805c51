import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProcesses, parseProcStat, parseProcStatus, readProcess } from '../../src/resources/proc-stat.js';

// A JVM whose thread name contains spaces and parentheses; utime 1234, stime 566, starttime 98765.
const STAT =
  '4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 566 0 0 20 0 55 0 98765 4000000000 120000 ' +
  '18446744073709551615 1 1 0 0 0 0 0 2 0 0 0 17 1 0 0 0 0 0';

const STATUS = [
  'Name:\tjava',
  'State:\tS (sleeping)',
  'VmHWM:\t  600000 kB',
  'VmRSS:\t  512000 kB',
  'Threads:\t55',
].join('\n');

describe('parseProcStat', () => {
  it('reads utime, stime and start time after the last parenthesis', () => {
    expect(parseProcStat(STAT)).toEqual({
      pid: 4242,
      comm: 'java (main) x',
      state: 'S',
      utimeTicks: 1234,
      stimeTicks: 566,
      startTimeTicks: 98765,
      ppid: 1,
    });
  });

  it('rejects text that is not a stat line', () => {
    expect(() => parseProcStat('hello')).toThrow(SyntaxError);
    expect(() => parseProcStat('1 (x) S 1')).toThrow(/field 14/);
  });
});

describe('parseProcStatus', () => {
  it('reads VmRSS and VmHWM in bytes and the thread count', () => {
    expect(parseProcStatus(STATUS)).toEqual({
      rssBytes: 512000 * 1024,
      peakRssBytes: 600000 * 1024,
      threads: 55,
    });
  });

  it('reads 0 for kernel threads without memory lines', () => {
    expect(parseProcStatus('Name:\tkthreadd\nThreads:\t1\n')).toEqual({
      rssBytes: 0,
      peakRssBytes: 0,
      threads: 1,
    });
  });
});

describe('readProcess', () => {
  const files: Record<string, string> = { '/p/4242/stat': STAT, '/p/4242/status': STATUS };
  const readText = async (path: string): Promise<string> => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
    return text;
  };

  it('turns ticks into CPU milliseconds', async () => {
    const reading = await readProcess(4242, { platform: 'linux', procRoot: '/p', readText });
    expect(reading).toEqual({
      pid: 4242,
      cpuMs: 18_000,
      rssBytes: 512000 * 1024,
      peakRssBytes: 600000 * 1024,
    });
    const at250Hz = await readProcess(4242, {
      platform: 'linux',
      procRoot: '/p',
      readText,
      clockTicksPerSec: 250,
    });
    expect(at250Hz.cpuMs).toBe(7200);
  });

  it('degrades clearly off Linux and for vanished processes', async () => {
    await expect(readProcess(4242, { platform: 'darwin', readText })).rejects.toMatchObject({
      code: 'TRIB_BENCH_PROC_UNAVAILABLE',
      message: expect.stringContaining('darwin'),
    });
    await expect(readProcess(1, { platform: 'linux', procRoot: '/p', readText })).rejects.toMatchObject({
      code: 'TRIB_BENCH_PROC_UNAVAILABLE',
      retriable: true,
    });
  });

  it('reads this very process on Linux', async () => {
    if (process.platform === 'linux') {
      const reading = await readProcess(process.pid);
      expect(reading.rssBytes).toBeGreaterThan(1024 * 1024);
      expect(reading.cpuMs).toBeGreaterThanOrEqual(0);
    } else {
      await expect(readProcess(process.pid)).rejects.toMatchObject({ code: 'TRIB_BENCH_PROC_UNAVAILABLE' });
    }
  });
});

describe('findProcesses', () => {
  it('matches command lines and ignores the other entries', async () => {
    const root = await mkdtemp(join(tmpdir(), 'bench-proc-'));
    try {
      const proc = async (pid: string, cmdline: string): Promise<void> => {
        await mkdir(join(root, pid));
        await writeFile(join(root, pid, 'cmdline'), cmdline);
      };
      await proc('3840', ['java', '-Xmx1g', 'kafka.Kafka', 'server.properties'].join('\0'));
      await proc('3663', ['java', 'org.elasticsearch.bootstrap.Elasticsearch'].join('\0'));
      await mkdir(join(root, 'self'));
      await mkdir(join(root, '999')); // vanished: no cmdline
      expect(await findProcesses(/kafka\.Kafka/, { platform: 'linux', procRoot: root })).toEqual([3840]);
      expect(await findProcesses(/java/, { platform: 'linux', procRoot: root })).toEqual([3663, 3840]);
      expect(await findProcesses(/java/, { platform: 'win32', procRoot: root })).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
