/** Short description of a value for error messages: its type and, for primitives, a truncated value. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${String(value)}`;
  return value === null ? 'null' : typeof value;
}
