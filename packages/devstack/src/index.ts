export { startDevstack } from './devstack.js';
export { devstackStatus, stopDevstack, devstackLogs, type StopOutcome } from './status.js';
export { restartKafka, restartElasticsearch } from './restart.js';
export {
  RESTART_OPTIONS,
  RESTART_SIGNALS,
  RESTART_SIGNAL_NAMES,
  type RestartOptions,
  type RestartSignal,
} from './restart-options.js';
export { runSmoke, SMOKE_OPTIONS, type SmokeOptions, type SmokeReport } from './smoke.js';
export {
  DEVSTACK_OPTIONS,
  SERVICES,
  SERVICE_NAMES,
  defaultCacheDir,
  devstackOptionsFromEnv,
  resolveDevstackOptions,
  type DevstackOptions,
  type ResolvedDevstackOptions,
  type Service,
} from './options.js';
export { DEVSTACK_ERROR_CODES, DevstackError, isDevstackError, type DevstackErrorCode } from './errors.js';
export {
  CHANNEL_NAMES,
  type ProgressMessage,
  type StartedMessage,
  type StoppedMessage,
} from './diagnostics.js';
export { resolveKafka, type ResolveInput as KafkaResolveInput } from './kafka/resolve.js';
export { findFreePort, findFreePorts, freePorts, isPortInUse } from './runtime/ports.js';
export { resolveIntoCache } from './runtime/cache.js';
export { JAVA_VERSION_RANGE, parseJavaVersion, type JavaInfo } from './runtime/java.js';
export type { ElasticsearchSecurity } from './elasticsearch/security.js';
export type {
  Devstack,
  DevstackStatus,
  ElasticsearchCredentials,
  ElasticsearchHandle,
  KafkaHandle,
  Restarted,
  RestartInfo,
  ServiceStatus,
} from './types.js';
