import type { OutputRecord } from '../task/partition-task.js';
import { ENGINE_CHANNELS, publish } from './diagnostics.js';
import type { ResultEncoder, ResultFilter, WindowedResult } from './window-result.js';

export interface ResultOutputOptions<R> {
  /** Task name in the `window-fired` diagnostics message (the store prefix). */
  task: string;
  /** Logical name of the results output. */
  output: string;
  encode: ResultEncoder<R>;
  /** Results it rejects are not emitted. @defaultValue every result is emitted */
  keep?: ResultFilter<R> | undefined;
  emit: (record: OutputRecord) => void;
}

/**
 * How a task emits a window result: encoded onto the results output (by key; the record timestamp is the commit
 * time, so retention counts from when it was written; `eventTime` = the window end), then published on the
 * `window-fired` channel. A result `keep` rejects is neither.
 */
export function resultOutput<R>(options: ResultOutputOptions<R>): (result: WindowedResult<R>) => void {
  const { task, output, encode, keep, emit } = options;
  return (r) => {
    if (keep !== undefined && !keep(r)) return;
    const encoded = encode(r);
    emit({
      output,
      key: encoded.key,
      value: encoded.value,
      headers: encoded.headers ?? {},
      destination: { kind: 'by-key' },
      eventTime: r.windowEnd,
    });
    publish(ENGINE_CHANNELS.windowFired, () => ({
      task,
      key: r.key,
      windowStart: r.windowStart,
      windowEnd: r.windowEnd,
      isFinal: r.isFinal,
      version: r.version,
    }));
  };
}
