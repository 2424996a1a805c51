import { readFileSync } from 'node:fs';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';

/** Reads a JSON configuration file: an object of processor options (same names as the flags, camelCase). */
export function readConfigFile(
  path: string,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Record<string, unknown> {
  let text: string;
  try {
    text = read(path);
  } catch (cause) {
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.CONFIG_FILE_INVALID,
      `cannot read config file ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.CONFIG_FILE_INVALID,
      `config file ${path} is not valid JSON: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.CONFIG_FILE_INVALID,
      `config file ${path} must hold a JSON object`,
    );
  }
  return parsed as Record<string, unknown>;
}
