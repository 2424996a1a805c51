import type { Logger } from '@tributary/observability';
import type { ConnectorLogger } from './connector-options.js';

/**
 * A pino logger as the connector's `logger` option: `(level, message, fields)` → `logger[level](fields, message)`.
 */
export function connectorLoggerFor(logger: Logger): ConnectorLogger {
  return (level, message, fields) => logger[level](fields ?? {}, message);
}
