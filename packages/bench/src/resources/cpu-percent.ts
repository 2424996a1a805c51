/**
 * CPU use between two readings as a percentage of ONE core: 100 means one core fully busy, 200 two cores.
 * Returns 0 when no time elapsed.
 */
export function cpuPercent(previousCpuMs: number, currentCpuMs: number, elapsedMs: number): number {
  if (elapsedMs <= 0) return 0;
  return (Math.max(0, currentCpuMs - previousCpuMs) / elapsedMs) * 100;
}
