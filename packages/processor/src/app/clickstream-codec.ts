import {
  createClickstreamValidator,
  decodeClickstreamEvent,
  encodeWindowResult,
} from '@tributary/schema';
import type { ClickstreamEvent } from '@tributary/schema';
import type { PageCounts } from '../aggregate/clickstream.js';
import type { Decoder } from '../engine/decoder.js';
import type { ResultEncoder } from '../engine/window-result.js';

/**
 * Decodes a Protobuf ClickstreamEvent and validates it per @tributary/schema, from the data alone: the
 * future-skew check is given no wall clock, so a replay decides exactly as the first run (and as the producer's
 * ground truth).
 */
export function clickstreamDecoder(): Decoder<ClickstreamEvent> {
  const validate = createClickstreamValidator({ clock: () => Number.MAX_SAFE_INTEGER });
  return (record) => {
    if (record.value === null) return { ok: false, code: 'TRIB_SCHEMA_DECODE_FAILED', reason: 'record has no value' };
    let event: ClickstreamEvent;
    try {
      event = decodeClickstreamEvent(record.value);
    } catch (error) {
      return { ok: false, ...describeSchemaError(error) };
    }
    const result = validate(event);
    return result.ok ? { ok: true, event: result.event } : { ok: false, ...describeSchemaError(result.error) };
  };
}

function describeSchemaError(error: unknown): { code: string; reason: string } {
  const e = error as { code?: unknown; reason?: unknown; message?: unknown };
  return {
    code: typeof e.code === 'string' ? e.code : 'TRIB_SCHEMA_DECODE_FAILED',
    reason: typeof e.reason === 'string' ? e.reason : typeof e.message === 'string' ? e.message : String(error),
  };
}

/** WindowResult protobuf, key = page_url (UTF-8). */
export const windowResultEncoder: ResultEncoder<PageCounts> = (r) => ({
  key: Buffer.from(r.key, 'utf8'),
  value: Buffer.from(
    encodeWindowResult({
      pageUrl: r.key,
      windowStart: r.windowStart,
      windowEnd: r.windowEnd,
      clickCount: r.result.clickCount,
      viewCount: r.result.viewCount,
      isFinal: r.isFinal,
      version: r.version,
    }),
  ),
  headers: { 'tributary.result.final': String(r.isFinal), 'tributary.result.version': String(r.version) },
});
