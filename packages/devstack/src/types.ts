import type { ElasticsearchSecurity } from './elasticsearch/security.js';

/** A Kafka broker of a devstack, started by it or found running and reused. */
export interface KafkaHandle {
  /** Bootstrap servers for kafkajs: `['127.0.0.1:9092']`. */
  brokers: string[];
  port: number;
  /** Kafka version; `'unknown'` for a reused broker the devstack did not start. */
  version: string;
  /** Milliseconds from spawn to the first successful metadata request (0 when reused). */
  startupMs: number;
  reused: boolean;
  /**
   * Pid (and process group) of the JVM, when the devstack started it or knows it from its state file. The pid at the
   * time the handle was made: after a restart the state file (and {@link devstackStatus}) has the new one.
   */
  pid?: number;
  /** Server logs, when known. */
  logFiles: string[];
}

/**
 * How clients reach a node with security on (`esSecurity`): https trusting `caFile` (or pinning `caFingerprint`),
 * basic auth as `username` with `password` (also in `passwordFile`, for another process: `--es-password-file`).
 */
export interface ElasticsearchCredentials extends ElasticsearchSecurity {
  password: string;
}

/** An Elasticsearch node of a devstack, started by it or found running and reused. */
export interface ElasticsearchHandle {
  /** Base URL for `@elastic/elasticsearch`: `'http://127.0.0.1:9200'` (`https://…` with security on). */
  url: string;
  port: number;
  /** Elasticsearch version (asked from the node when reused). */
  version: string;
  /** Milliseconds from spawn to cluster health yellow (0 when reused). */
  startupMs: number;
  reused: boolean;
  pid?: number;
  logFiles: string[];
  /** With security on: the CA, the user and its password. */
  security?: ElasticsearchCredentials;
}

/** A running devstack. */
export interface Devstack {
  /** Undefined when `services` excluded Kafka. */
  kafka: KafkaHandle | undefined;
  /** Undefined when `services` excluded Elasticsearch. */
  elasticsearch: ElasticsearchHandle | undefined;
  /** Directory of the data and logs of the servers this devstack started (undefined when it started none). */
  dataDir: string | undefined;
  /**
   * Stops the servers this devstack started (SIGTERM to each process group, SIGKILL after `stopTimeoutMs`) and
   * removes its temporary data directory. Reused servers are left running. Idempotent. A server restarted since
   * (by `restartKafka` / `tributary-devstack restart`, from any process) is stopped under its new pid, read from the
   * state file.
   */
  stop(): Promise<void>;
  /** Leaves the started servers running after this process exits (`up --detach`); `down` stops them later. */
  detach(): Promise<void>;
}

/** What a restart did, on the handle returned by `restartKafka` / `restartElasticsearch`. */
export interface RestartInfo {
  /** Pid (process group) of the server that was stopped; `pid` is the new one. */
  previousPid: number;
  /** `terminated`: it shut down on SIGTERM; `killed`: SIGKILL (asked for, or SIGTERM grace ran out). */
  stopped: 'terminated' | 'killed';
  /** Milliseconds from the stop signal to the new process answering as healthy. */
  downtimeMs: number;
}

/** A handle after a restart: the server now running, plus what the restart did. */
export type Restarted<H extends KafkaHandle | ElasticsearchHandle> = H & RestartInfo;

/** What {@link devstackStatus} reports about one server. */
export interface ServiceStatus {
  service: 'kafka' | 'elasticsearch';
  port: number;
  /** Something listens on the port. */
  listening: boolean;
  /** It answers as a healthy Kafka broker / Elasticsearch node (yellow or green). */
  healthy: boolean;
  /** Version, when it can be told (from the node or the state file). */
  version: string | undefined;
  /** Started by a devstack whose state file names a live process. */
  managed: boolean;
  pid: number | undefined;
  detached: boolean | undefined;
  dataDir: string | undefined;
  logFiles: string[];
  startupMs: number | undefined;
  /** An Elasticsearch node with security on: its CA and the file of the `elastic` user's password. */
  security?: ElasticsearchSecurity;
}

export interface DevstackStatus {
  kafka: ServiceStatus | undefined;
  elasticsearch: ServiceStatus | undefined;
}
