import {
  defineOptions,
  issueMessage,
  quoted,
  z,
  type OptionSet,
  type OptionSetSettings,
  type OptionSpecs,
} from '@tributary/options';
import { invalidOption } from '../errors.js';

/** An option set of the processor: a bad option throws `TRIB_PROC_INVALID_OPTION` naming it. */
export function processorOptions<Specs extends OptionSpecs>(
  component: string,
  specs: Specs,
  check?: OptionSetSettings<Specs>['check'],
): OptionSet<Specs> {
  return defineOptions(specs, {
    component,
    invalid: invalidOption,
    ...(check === undefined ? {} : { check }),
  });
}

/** Letters, digits, `.`, `_` and `-`: application ids, stage, table and store names. */
export const name = z.string().regex(/^[A-Za-z0-9._-]+$/, 'must match [A-Za-z0-9._-]+');

/** A Kafka topic name: 1–249 letters, digits, `.`, `_` or `-`, not `.` or `..`. */
export const topicName = z
  .string()
  .regex(/^(?!\.\.?$)[A-Za-z0-9._-]{1,249}$/, 'must be a valid Kafka topic name');

/** Kafka bootstrap servers: a non-empty list of `host:port`. */
export const brokerList = z
  .array(z.string())
  .min(1)
  .refine((list) => list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)), 'must be a list of host:port')
  .readonly();

/** Validates one option of a small class (`sizeMs` of a window, `name` of a store) against its schema. */
export function checkOption<S extends z.ZodType>(option: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw invalidOption(
    [option, ...issue.path.map(String)].join('.'),
    `${issueMessage(issue)} (got ${quoted(value)})`,
  );
}

/** A string of at least one character. */
export const nonEmptyString = z.string().min(1, 'must be a non-empty string');

/** A safe integer. */
export const integer = z.int({ error: 'must be an integer' });

/** An integer > 0. */
export const positiveInt = z
  .int({ error: 'must be a positive integer' })
  .min(1, 'must be a positive integer');

/** An integer ≥ 0. */
export const nonNegativeInt = z
  .int({ error: 'must be a non-negative integer' })
  .min(0, 'must be a non-negative integer');

/** A function; `shape` completes the message (`must be a function (topic, partition) => PartitionTask`). */
export function fn<F>(shape = ''): z.ZodCustom<F, F> {
  return z.custom<F>((value) => typeof value === 'function', `must be a function${shape}`);
}
