export {
  LOGGER_DEFAULTS,
  LOG_LEVELS,
  REDACT_PATHS,
  createLogger,
  type CreateLoggerOptions,
  type LogLevel,
  type Logger,
} from './logger.js';
export {
  METRICS_SERVER_DEFAULTS,
  startMetricsServer,
  type HealthState,
  type MetricsServer,
  type MetricsServerOptions,
} from './metrics-server.js';
export {
  OBSERVABILITY_ERROR_CODES,
  ObservabilityError,
  isObservabilityError,
  type ObservabilityErrorCode,
} from './errors.js';
