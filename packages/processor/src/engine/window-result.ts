/** One emission of a window's aggregate. `version` only grows per (key, window); the latest one is the truth. */
export interface WindowedResult<R> {
  readonly key: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly result: R;
  /** True when the emitting task considered the window closed (its watermark passed windowEnd + L). */
  readonly isFinal: boolean;
  readonly version: number;
}

/** How a result becomes a record on the results output. */
export interface EncodedResult {
  readonly key: Buffer | null;
  readonly value: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export type ResultEncoder<R> = (result: WindowedResult<R>) => EncodedResult;

/**
 * Which results are written: a result it rejects is not emitted (no record, no `window-fired` event); the window's
 * state and version move on as if it had been. Applied to every emission (updates and corrections included).
 */
export type ResultFilter<R> = (result: WindowedResult<R>) => boolean;

/** Default encoder: key = the aggregation key (UTF-8), value = the result as JSON. */
export function jsonResultEncoder<R>(): ResultEncoder<R> {
  return (r) => ({ key: Buffer.from(r.key, 'utf8'), value: Buffer.from(JSON.stringify(r), 'utf8') });
}
