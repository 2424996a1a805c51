import type { z } from 'zod';
import { defOf, kindOf } from './schema-shape.js';

const NUMBER = /^[+-]?(\d[\d_]*(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * Turns the text of a flag or an environment variable into the value the schema expects: numbers (`30_000` too),
 * booleans (`true/false/1/0/yes/no/on/off`), literals (`false`), comma-separated lists, JSON objects. Text that does not fit is
 * returned unchanged, so the schema's validation reports it with the option's name.
 */
export function valueFromText(schema: z.ZodType, text: string): unknown {
  const trimmed = text.trim();
  switch (kindOf(schema)) {
    case 'number':
    case 'int':
      return NUMBER.test(trimmed) ? Number(trimmed.replaceAll('_', '')) : text;
    case 'bigint':
      return /^[+-]?\d+$/.test(trimmed) ? BigInt(trimmed) : text;
    case 'boolean': {
      const lower = trimmed.toLowerCase();
      return TRUE.has(lower) ? true : FALSE.has(lower) ? false : text;
    }
    case 'array': {
      const element = defOf(schema)['element'] as z.ZodType;
      return trimmed
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
        .map((item) => valueFromText(element, item));
    }
    case 'record':
    case 'object':
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        return text;
      }
    case 'literal':
      return (defOf(schema)['values'] as unknown[]).find((value) => String(value) === trimmed) ?? text;
    case 'union': {
      const members = defOf(schema)['options'] as z.ZodType[];
      for (const member of members) {
        const value = valueFromText(member, text);
        if (value !== text && member.safeParse(value).success) return value;
      }
      return text;
    }
    default:
      return text;
  }
}
