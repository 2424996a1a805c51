import { median } from '../report/aggregate.js';

/**
 * CPU time (user + system, ms) of running `work`: robust against other processes sharing the cores, which wall time
 * is not (it still includes GC helper threads).
 */
export function cpuTimeMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  return cpuSecondsSince(start) * 1000;
}

/** This process's CPU time (user + system, all threads) since `start`, seconds. */
export function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * Runs every contender once (warm-up), then `rounds` rounds of all of them in turn, so a burst of load on the
 * machine hits them alike; returns each contender's median CPU ms.
 */
export function interleavedMedians(contenders: readonly (() => void)[], rounds: number): number[] {
  for (const work of contenders) work();
  const times = contenders.map((): number[] => []);
  for (let r = 0; r < rounds; r++) contenders.forEach((work, i) => times[i]!.push(cpuTimeMs(work)));
  return times.map((t) => median(t));
}
