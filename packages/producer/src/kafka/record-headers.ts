import { FaultKinds } from '../workload/faults.js';

/**
 * Per-record headers, kept small (kafkajs encodes each header separately): `trib-intended-ms`, the intended send time
 * (epoch ms) for end-to-end latency from the schedule, and `trib-fault` when a fault was injected (for debugging and
 * tests; a pipeline must never use it for decisions).
 */
export function recordHeaders(
  fault: string,
  malformed: string | undefined,
  intendedEpochMs: number,
): Record<string, string> {
  const headers: Record<string, string> = { 'trib-intended-ms': String(Math.floor(intendedEpochMs)) };
  if (fault !== FaultKinds.NONE)
    headers['trib-fault'] = malformed === undefined ? fault : `${fault}:${malformed}`;
  return headers;
}
