import { SIDE_OUTPUT_HEADERS } from '../engine/side-outputs.js';
import type { OutputRecord } from '../task/partition-task.js';

/** What one commit's outputs say about late events, dead letters and result latency. */
export interface OutputSummary {
  /** Records on a late output (they carry the late-reason header). */
  late: number;
  /** Dead-lettered records by their error code header. */
  deadLetters: Map<string, number>;
  /** Event-time latency, seconds, of every window result: `committedAtMs − eventTime` (its window end). */
  resultLatenciesSeconds: number[];
}

/** Logical output names whose records are window results (their latency is observed). */
export const RESULT_OUTPUTS: ReadonlySet<string> = new Set(['results', 'sessions']);

/**
 * One pass over the outputs of a commit, at the commit boundary (never per input record). Side outputs are found
 * by their headers, so renamed late / dead-letter outputs are still counted.
 */
export function summarizeOutputs(
  outputs: readonly OutputRecord[],
  committedAtMs: number,
  resultOutputs: ReadonlySet<string> = RESULT_OUTPUTS,
): OutputSummary {
  const summary: OutputSummary = { late: 0, deadLetters: new Map(), resultLatenciesSeconds: [] };
  for (const o of outputs) {
    if (resultOutputs.has(o.output)) {
      if (o.eventTime !== undefined)
        summary.resultLatenciesSeconds.push(Math.max(0, committedAtMs - o.eventTime) / 1000);
      continue;
    }
    const headers = o.headers;
    const code = headers[SIDE_OUTPUT_HEADERS.errorCode];
    if (typeof code === 'string') {
      summary.deadLetters.set(code, (summary.deadLetters.get(code) ?? 0) + 1);
    } else if (headers[SIDE_OUTPUT_HEADERS.lateReason] !== undefined) {
      summary.late += 1;
    }
  }
  return summary;
}
