import { pino } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';
import { invalidOption } from './errors.js';

/** Log levels accepted by `createLogger` and every `--log-level` flag. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CreateLoggerOptions {
  /** Component name, written as `name` on every line. */
  name: string;
  /**
   * Minimum level written.
   * @defaultValue 'info'
   */
  level?: LogLevel;
  /** Where JSON lines go. @defaultValue stdout (pino's default, synchronous-safe on exit) */
  destination?: DestinationStream;
}

export const LOGGER_DEFAULTS = {
  level: 'info',
} as const satisfies { level: LogLevel };

const SECRET_KEYS = [
  'password',
  'apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'auth',
  'sasl',
  'secret',
  'token',
  'key',
  'cert',
  'ca',
  'passphrase',
  'cookie',
] as const;

/**
 * Paths censored in every log line: credentials and cookies at the top level, one and two levels deep
 * (`{ auth: … }`, `{ kafka: { sasl: … } }`, `{ options: { es: { auth: … } } }`), ssl key material and
 * `headers.authorization`.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS.filter((k) => k !== 'key' && k !== 'cert' && k !== 'ca').flatMap((k) => [
    k,
    `*.${k}`,
    `*.*.${k}`,
  ]),
  ...['key', 'cert', 'ca', 'passphrase'].flatMap((k) => [`ssl.${k}`, `*.ssl.${k}`, `*.*.ssl.${k}`]),
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
];

/** A pino logger with Tributary's redaction of credentials; JSON lines with `time`, `level`, `name`, `msg`. */
export function createLogger(options: CreateLoggerOptions): Logger {
  if (typeof options.name !== 'string' || options.name.length === 0)
    throw invalidOption('name', 'must be a non-empty string');
  const level = options.level ?? LOGGER_DEFAULTS.level;
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw invalidOption('level', `must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(level)})`);
  const config = {
    name: options.name,
    level: level as Level | 'silent',
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    formatters: { level: (label: string) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}

export type { Logger };
