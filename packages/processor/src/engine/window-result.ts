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

/** Default encoder: key = the aggregation key (UTF-8), value = the result as JSON. */
export function jsonResultEncoder<R>(): ResultEncoder<R> {
  return (r) => ({ key: Buffer.from(r.key, 'utf8'), value: Buffer.from(JSON.stringify(r), 'utf8') });
}
