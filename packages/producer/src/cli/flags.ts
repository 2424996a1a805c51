import { readFileSync } from 'node:fs';
import { ProducerError, ProducerErrorCodes } from '../errors.js';
import { parseBoolean, parseBytes, parseDuration, parseList, parseNumber } from './option-values.js';

export const FlagTypes = {
  STRING: 'string',
  NUMBER: 'number',
  /** A number, or the word auto. */
  NUMBER_OR_AUTO: 'number|auto',
  DURATION: 'duration',
  BYTES: 'bytes',
  LIST: 'list',
  BOOLEAN: 'boolean',
  /** A `--no-x` flag that sets the option to false. */
  NEGATED: 'negated',
} as const;
export type FlagType = (typeof FlagTypes)[keyof typeof FlagTypes];

export interface FlagSpec {
  /** Flag name without dashes, e.g. 'late-rate'. */
  flag: string;
  /** Options key it maps onto. */
  key: string;
  type: FlagType;
  help: string;
}

/** Environment variable for a flag: TRIBUTARY_ + upper snake case (`--late-rate` → TRIBUTARY_LATE_RATE). */
export function envName(spec: FlagSpec): string {
  const flag = spec.type === FlagTypes.NEGATED ? spec.flag.replace(/^no-/, '') : spec.flag;
  return `TRIBUTARY_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function convert(spec: FlagSpec, text: string): unknown {
  const name = `--${spec.flag}`;
  switch (spec.type) {
    case FlagTypes.STRING:
      return text;
    case FlagTypes.NUMBER:
      return parseNumber(name, text);
    case FlagTypes.NUMBER_OR_AUTO:
      return text.trim().toLowerCase() === 'auto' ? 'auto' : parseNumber(name, text);
    case FlagTypes.DURATION:
      return parseDuration(name, text);
    case FlagTypes.BYTES:
      return parseBytes(name, text);
    case FlagTypes.LIST:
      return parseList(text);
    case FlagTypes.BOOLEAN:
      return parseBoolean(name, text);
    case FlagTypes.NEGATED:
      // The environment names the positive option: TRIBUTARY_CREATE_TOPIC=false ≡ --no-create-topic.
      return parseBoolean(envName(spec), text);
  }
}

/** parseArgs option config for the specs. */
export function parseArgsConfig(specs: readonly FlagSpec[]): Record<string, { type: 'string' | 'boolean' }> {
  const out: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const s of specs)
    out[s.flag] = {
      type: s.type === FlagTypes.BOOLEAN || s.type === FlagTypes.NEGATED ? 'boolean' : 'string',
    };
  return out;
}

export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ProducerError(
      ProducerErrorCodes.CONFIG_FILE,
      `cannot read config file ${path}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ProducerError(
      ProducerErrorCodes.CONFIG_FILE,
      `config file ${path} is not valid JSON: ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProducerError(
      ProducerErrorCodes.CONFIG_FILE,
      `config file ${path} must hold a JSON object of options`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * Layers option sources onto one options object: config file < environment < flags. The result goes through the
 * same validation as library callers' options.
 */
export function collectOptions(
  specs: readonly FlagSpec[],
  values: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv,
  configPath: string | undefined,
): Record<string, unknown> {
  const options: Record<string, unknown> = configPath === undefined ? {} : { ...readConfigFile(configPath) };
  for (const spec of specs) {
    const fromEnv = env[envName(spec)];
    if (fromEnv !== undefined && fromEnv !== '') options[spec.key] = convert(spec, fromEnv);
  }
  for (const spec of specs) {
    const v = values[spec.flag];
    if (v === undefined) continue;
    if (spec.type === FlagTypes.NEGATED) {
      if (v === true) options[spec.key] = false;
    } else if (spec.type === FlagTypes.BOOLEAN) {
      options[spec.key] = v === true;
    } else {
      options[spec.key] = convert(spec, String(v));
    }
  }
  return options;
}

export function helpRow(left: string, help: string): string {
  return `  ${left.padEnd(34)} ${help}`;
}

export function formatFlagHelp(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const left = `--${s.flag}${s.type === FlagTypes.BOOLEAN || s.type === FlagTypes.NEGATED ? '' : ' <' + s.type + '>'}`;
    return helpRow(left, `${s.help} [${envName(s)}]`);
  });
  return rows.join('\n');
}
