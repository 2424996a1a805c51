/**
 * What the gateway needs from a logger: pino's `(fields, message)` methods. Any pino logger fits (`createLogger` of
 * @tributary/observability makes one with credential redaction); without one the gateway logs nothing.
 */
export interface GatewayLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
