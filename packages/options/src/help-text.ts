import type { OptionSpec } from './option.js';
import { choicesOf, kindOf } from './schema-shape.js';

export interface HelpLayout {
  /** After `Usage: ` (`tributary-devstack <command> [options]`). */
  readonly usage: string;
  /** Paragraphs between the usage line and the options. */
  readonly description?: string;
  /** Title of the option rows. */
  readonly optionsTitle?: string;
  /** Text after the options (commands, examples, signals). */
  readonly epilogue?: string;
}

export interface HelpOption {
  readonly flag: string;
  readonly short: string | undefined;
  readonly boolean: boolean;
  readonly spec: OptionSpec;
  readonly env: string | undefined;
  readonly defaultValue: unknown;
}

const LEFT_WIDTH = 34;

function placeholder(spec: OptionSpec): string {
  if (spec.placeholder !== undefined) return spec.placeholder;
  const choices = choicesOf(spec.schema);
  if (choices !== undefined) return choices.join('|');
  switch (kindOf(spec.schema)) {
    case 'number':
    case 'int':
    case 'bigint':
      return '<n>';
    case 'array':
      return '<list>';
    case 'record':
    case 'object':
      return '<json>';
    default:
      return '<value>';
  }
}

function shown(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** One line per option: `  --kafka-port <n>   Kafka listener [TRIBUTARY_KAFKA_PORT, default 9092]`. */
export function helpRows(
  options: readonly HelpOption[],
  leading: readonly { left: string; right: string }[] = [],
): string[] {
  const rows = [
    ...leading,
    ...options.map((o) => {
      const short = o.short === undefined ? '' : `-${o.short}, `;
      const negated = o.boolean && o.defaultValue === true;
      const left = o.boolean
        ? `${short}--${negated ? 'no-' : ''}${o.flag}`
        : `${short}--${o.flag} ${placeholder(o.spec)}`;
      const notes: string[] = [];
      if (o.env !== undefined) notes.push(o.env);
      const defaultText =
        o.spec.defaultText ??
        (o.defaultValue === undefined || o.boolean || o.spec.secret === true
          ? undefined
          : shown(o.defaultValue));
      if (defaultText !== undefined) notes.push(`default ${defaultText}`);
      const help = negated ? `${o.spec.help} (on by default; --no-${o.flag} turns it off)` : o.spec.help;
      return { left, right: notes.length === 0 ? help : `${help} [${notes.join(', ')}]` };
    }),
  ];
  return rows.map(({ left, right }) =>
    left.length < LEFT_WIDTH
      ? `  ${left.padEnd(LEFT_WIDTH)} ${right}`
      : `  ${left}\n  ${''.padEnd(LEFT_WIDTH)} ${right}`,
  );
}
