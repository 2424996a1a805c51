import type { LatencySummary } from '../stats/latency-histogram.js';

const MB = 1024 * 1024;

export interface ThroughputFigures {
  records: number;
  bytes: number;
  elapsedMs: number;
}

/**
 * The final line in the form kafka-producer-perf-test prints, so results can be compared by eye:
 * `N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, p50 ms 50th, … p99.9 ms 99.9th.`
 * Unlike perf-test, our latencies are measured from each record's intended send time (open loop).
 */
export function formatPerfSummary(t: ThroughputFigures, latency: LatencySummary): string {
  const seconds = t.elapsedMs / 1000;
  const rps = seconds > 0 ? t.records / seconds : 0; // printed with 6 decimals, as ProducerPerformance does
  const mbps = seconds > 0 ? t.bytes / MB / seconds : 0;
  return (
    `${t.records} records sent, ${rps.toFixed(6)} records/sec (${mbps.toFixed(2)} MB/sec), ` +
    `${latency.avgMs.toFixed(2)} ms avg latency, ${latency.maxMs.toFixed(2)} ms max latency, ` +
    `${Math.round(latency.p50Ms)} ms 50th, ${Math.round(latency.p95Ms)} ms 95th, ` +
    `${Math.round(latency.p99Ms)} ms 99th, ${Math.round(latency.p999Ms)} ms 99.9th.`
  );
}

export interface ProgressFigures {
  elapsedMs: number;
  /** Records handed to the producer since the previous line. */
  intervalSent: number;
  intervalMs: number;
  sent: number;
  acked: number;
  errors: number;
  p99AckMs: number;
  p99ScheduleLagMs: number;
}

/** The periodic progress line (every 5 s by default). */
export function formatProgress(p: ProgressFigures): string {
  const rate = p.intervalMs > 0 ? (p.intervalSent * 1000) / p.intervalMs : 0;
  return (
    `[${(p.elapsedMs / 1000).toFixed(1)}s] ${rate.toFixed(1)} records/sec, sent ${p.sent}, acked ${p.acked}, ` +
    `errors ${p.errors}, p99 ack latency ${p.p99AckMs.toFixed(1)} ms, p99 schedule lag ${p.p99ScheduleLagMs.toFixed(1)} ms`
  );
}
