import type { KafkaMessage } from '@tributary/kafka';

/**
 * Record headers as a task reads them (`InputRecord.headers`): the first value of each header as a UTF-8 string;
 * headers whose (first) value is null or absent are left out.
 */
export function headersToStrings(headers: KafkaMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined || headers === null) return out;
  for (const [name, value] of Object.entries(headers)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== null) out[name] = String(first);
  }
  return out;
}
