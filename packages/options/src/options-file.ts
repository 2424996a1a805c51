import { readFileSync } from 'node:fs';

/** Reads a JSON file of options: one object, keys named as in code (camelCase). */
export function readOptionsFile(
  path: string,
  read: ((path: string) => string) | undefined,
  invalid: (message: string) => Error,
): Record<string, unknown> {
  let text: string;
  try {
    text = (read ?? ((p: string) => readFileSync(p, 'utf8')))(path);
  } catch (cause) {
    throw withCause(invalid(`cannot read config file ${path}: ${(cause as Error).message}`), cause);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw withCause(invalid(`config file ${path} is not valid JSON: ${(cause as Error).message}`), cause);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalid(`config file ${path} must hold a JSON object`);
  return parsed as Record<string, unknown>;
}

function withCause(error: Error, cause: unknown): Error {
  if (error.cause === undefined) Object.defineProperty(error, 'cause', { value: cause, configurable: true });
  return error;
}
