import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ElasticsearchSecurity } from '../elasticsearch/security.js';
import type { Service } from '../options.js';

/** How a Kafka broker was launched: what a restart needs besides its service directory and ports. */
export interface KafkaLaunchRecord {
  service: 'kafka';
  javaCommand: string;
  /** `<cache>/kafka-<version>/libs`. */
  libsDir: string;
  heap: string;
  /** The user it runs as when the devstack runs as root (absent: as the devstack's own user). */
  runAs?: { uid: number; gid: number };
}

/** How an Elasticsearch node was launched: what a restart needs besides its service directory and ports. */
export interface ElasticsearchLaunchRecord {
  service: 'elasticsearch';
  /** The distribution (`<cache>/elasticsearch-<version>/home`). */
  home: string;
  /** ES_JAVA_HOME. */
  javaHome: string;
  heap: string;
  writeQueueSize?: number;
  writeThreadPoolSize?: number;
  /** Extra settings (`esSettings`), passed as `-E key=value`. */
  settings: Record<string, string>;
  /** The user it runs as when the devstack runs as root. */
  runAs?: { uid: number; gid: number };
}

export type LaunchRecord = KafkaLaunchRecord | ElasticsearchLaunchRecord;

/**
 * What `up` records about a server it started, so `down`, `logs`, `status` and `restart` work from another process.
 * A restart rewrites `pid`, `startedAt`, `startupMs` and `launch` and keeps the rest (the owner stays the owner).
 */
export interface ServiceState {
  service: Service;
  version: string;
  port: number;
  /** Kafka controller port or Elasticsearch transport port. */
  secondaryPort: number;
  /** Pid and process group id of the server. */
  pid: number;
  /** The server's own directory (config, data, logs). */
  serviceDir: string;
  /** The devstack data directory holding `serviceDir`. */
  dataRoot: string;
  /** Whether the data directory is a temporary one the devstack created (removed on stop). */
  ownsDataRoot: boolean;
  logFiles: string[];
  startedAt: string;
  startupMs: number;
  /** Pid of the process that started it; `detached` when it was left running on purpose. */
  ownerPid: number;
  detached: boolean;
  /** How it was launched, for `restart`; absent in state files written before restarts existed. */
  launch?: LaunchRecord;
  /** An Elasticsearch node with security on: where its CA and its password file are (never the password). */
  security?: ElasticsearchSecurity;
}

/** Directory of the state files: `<cacheDir>/run`. */
export const stateDir = (cacheDir: string): string => join(cacheDir, 'run');

/** State file of the server of `service` on `port`. */
export const statePath = (cacheDir: string, service: Service, port: number): string =>
  join(stateDir(cacheDir), `${service}-${port}.json`);

export async function writeState(cacheDir: string, state: ServiceState): Promise<void> {
  await mkdir(stateDir(cacheDir), { recursive: true });
  const path = statePath(cacheDir, state.service, state.port);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, path);
}

/** The state of the server of `service` on `port`, or undefined when there is none (or it is unreadable). */
export async function readState(
  cacheDir: string,
  service: Service,
  port: number,
): Promise<ServiceState | undefined> {
  try {
    const state = JSON.parse(await readFile(statePath(cacheDir, service, port), 'utf8')) as ServiceState;
    return typeof state.pid === 'number' && state.service === service ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Synchronous {@link readState}, for exit hooks. */
export function readStateSync(cacheDir: string, service: Service, port: number): ServiceState | undefined {
  try {
    const state = JSON.parse(readFileSync(statePath(cacheDir, service, port), 'utf8')) as ServiceState;
    return typeof state.pid === 'number' && state.service === service ? state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when two states describe the same server, possibly restarted in between: same service, port, service
 * directory and owner. A server started afresh on the port by someone else differs in directory or owner.
 */
export function isSameServer(a: ServiceState, b: ServiceState): boolean {
  return (
    a.service === b.service && a.port === b.port && a.serviceDir === b.serviceDir && a.ownerPid === b.ownerPid
  );
}

/**
 * The pid that replaced `recorded` when `latest` (the state file now) shows the same server restarted under another
 * pid; undefined when it was not restarted, or the state file describes another server or none.
 */
export function successorPid(recorded: ServiceState, latest: ServiceState | undefined): number | undefined {
  if (latest === undefined || latest.pid === recorded.pid || !isSameServer(recorded, latest))
    return undefined;
  return latest.pid;
}

/** The state after a restart: new pid, start time, startup and launch record; owner, ports and data kept. */
export function restartedState(
  state: ServiceState,
  restart: { pid: number; startupMs: number; launch: LaunchRecord; at: Date },
): ServiceState {
  return {
    ...state,
    pid: restart.pid,
    startedAt: restart.at.toISOString(),
    startupMs: restart.startupMs,
    launch: restart.launch,
  };
}

export async function removeState(cacheDir: string, service: Service, port: number): Promise<void> {
  await rm(statePath(cacheDir, service, port), { force: true });
}
