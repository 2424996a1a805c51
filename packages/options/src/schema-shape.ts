import type { z } from 'zod';

/** The zod `def.type` of a schema's value, under `.default()`, `.optional()`, `.nullable()` and pipes. */
export function valueSchema(schema: z.ZodType): z.ZodType {
  let current = schema as unknown as { _zod: { def: Record<string, unknown> } };
  for (;;) {
    const def = current._zod.def;
    const inner =
      def['type'] === 'pipe'
        ? def['in']
        : ['default', 'prefault', 'optional', 'nullable', 'readonly', 'nonoptional', 'catch'].includes(
              def['type'] as string,
            )
          ? def['innerType']
          : undefined;
    if (inner === undefined) return current as unknown as z.ZodType;
    current = inner as typeof current;
  }
}

export function kindOf(schema: z.ZodType): string {
  return (valueSchema(schema) as unknown as { _zod: { def: { type: string } } })._zod.def.type;
}

/** Elements of an array schema, members of a union, values of an enum: what `--help` and text parsing need. */
export function defOf(schema: z.ZodType): Record<string, unknown> {
  return (valueSchema(schema) as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
}

/** The values an enum or literal allows, or undefined. */
export function choicesOf(schema: z.ZodType): readonly string[] | undefined {
  const def = defOf(schema);
  if (def['type'] === 'enum') return Object.values(def['entries'] as Record<string, string>);
  if (def['type'] === 'literal') return (def['values'] as unknown[]).map(String);
  return undefined;
}
