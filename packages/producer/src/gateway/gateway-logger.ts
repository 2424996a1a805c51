import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { invalidOption } from '../errors.js';

/** Log levels of `--log-level` (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * What the gateway needs from a logger: pino's `(fields, message)` methods. Any pino logger fits; without one the
 * gateway logs nothing.
 */
export interface GatewayLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const SECRETS = ['password', 'apiKey', 'authorization', 'auth', 'sasl', 'secret', 'token', 'cookie'];

/** Paths censored in every line: credentials at the top level and one or two levels deep, TLS key material. */
export const GATEWAY_REDACT_PATHS: readonly string[] = [
  ...SECRETS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  ...['key', 'cert', 'ca', 'passphrase'].flatMap((k) => [`ssl.${k}`, `*.ssl.${k}`]),
  'headers.authorization',
  '*.headers.authorization',
];

export interface GatewayLoggerOptions {
  /** @defaultValue 'info' */
  level?: LogLevel;
  /** Where JSON lines go. @defaultValue stdout */
  destination?: DestinationStream;
  /** `name` on every line. @defaultValue 'tributary-gateway' */
  name?: string;
}

/** A pino logger for the gateway: JSON lines with `time`, `level` (label), `name`, `msg`; credentials redacted. */
export function createGatewayLogger(options: GatewayLoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw invalidOption('logLevel', `must be one of ${LOG_LEVELS.join(', ')}`, level);
  const config = {
    name: options.name ?? 'tributary-gateway',
    level,
    redact: { paths: [...GATEWAY_REDACT_PATHS], censor: '[redacted]' },
    formatters: { level: (label: string) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}
