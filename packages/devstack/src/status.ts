import { stopRecordedServer } from './runtime/stop-server.js';
import { elasticsearchVersion, esUrl, isElasticsearchHealthy } from './elasticsearch/health.js';
import { readAccess } from './elasticsearch/security.js';
import { isKafkaHealthy } from './kafka/health.js';
import {
  resolveDevstackOptions,
  type DevstackOptions,
  type ResolvedDevstackOptions,
  type Service,
} from './options.js';
import { tailFiles } from './runtime/log-tail.js';
import { isPortInUse } from './runtime/ports.js';
import { readLiveState } from './runtime/process-identity.js';
import { readState, type ServiceState } from './runtime/state-file.js';
import type { DevstackStatus, ServiceStatus } from './types.js';

const portOf = (o: ResolvedDevstackOptions, service: Service): number =>
  service === 'kafka' ? o.kafkaPort : o.esPort;

/** The state file of a server whose process is still ours; a stale state file is removed. */
const liveState = (o: ResolvedDevstackOptions, service: Service): Promise<ServiceState | undefined> =>
  readLiveState(o.cacheDir, service, portOf(o, service));

async function serviceStatus(o: ResolvedDevstackOptions, service: Service): Promise<ServiceStatus> {
  const port = portOf(o, service);
  const state = await liveState(o, service);
  const listening = await isPortInUse(port);
  // A node with security on answers https, to the user and CA its state file names.
  const security = state?.security;
  const access = security === undefined ? undefined : await readAccess(security).catch(() => undefined);
  const url = esUrl(port, security !== undefined);
  const healthy =
    listening &&
    (service === 'kafka'
      ? await isKafkaHealthy([`127.0.0.1:${port}`])
      : await isElasticsearchHealthy(url, undefined, access));
  const version =
    service === 'elasticsearch' && healthy
      ? ((await elasticsearchVersion(url, undefined, access)) ?? state?.version)
      : state?.version;
  return {
    service,
    port,
    listening,
    healthy,
    version,
    managed: state !== undefined,
    pid: state?.pid,
    detached: state?.detached,
    dataDir: state?.serviceDir,
    logFiles: state?.logFiles ?? [],
    startupMs: state?.startupMs,
    ...(security === undefined ? {} : { security }),
  };
}

/**
 * What runs on the devstack ports: whether each server listens and is healthy, and — when a devstack started it —
 * its pid, data directory and logs (from the state file in `<cacheDir>/run`).
 */
export async function devstackStatus(options: DevstackOptions = {}): Promise<DevstackStatus> {
  const o = resolveDevstackOptions(options);
  return {
    kafka: o.services.includes('kafka') ? await serviceStatus(o, 'kafka') : undefined,
    elasticsearch: o.services.includes('elasticsearch') ? await serviceStatus(o, 'elasticsearch') : undefined,
  };
}

/** Outcome of {@link stopDevstack} for one server. */
export interface StopOutcome {
  service: Service;
  port: number;
  /** `stopped`: it was ours and is gone; `not-running`: nothing there; `not-managed`: something else runs there. */
  result: 'stopped' | 'not-running' | 'not-managed';
  pid: number | undefined;
}

/**
 * Stops the servers a devstack started on these ports, even from another process (`tributary-devstack down`):
 * SIGTERM to each process group, SIGKILL after `stopTimeoutMs`, then removes the state file and a temporary data
 * directory. A server without a state file (not started by a devstack) is never touched.
 */
export async function stopDevstack(options: DevstackOptions = {}): Promise<StopOutcome[]> {
  const o = resolveDevstackOptions(options);
  const outcomes: StopOutcome[] = [];
  for (const service of [...o.services].reverse()) {
    const port = portOf(o, service);
    const state = await liveState(o, service);
    if (state === undefined) {
      outcomes.push({
        service,
        port,
        result: (await isPortInUse(port)) ? 'not-managed' : 'not-running',
        pid: undefined,
      });
      continue;
    }
    await stopRecordedServer(o.cacheDir, state, o.stopTimeoutMs, o.log);
    outcomes.push({ service, port, result: 'stopped', pid: state.pid });
  }
  return outcomes.reverse();
}

/** The last `lines` lines of each managed server's logs, by service (empty when the devstack did not start it). */
export async function devstackLogs(
  options: DevstackOptions = {},
  lines = 100,
): Promise<Partial<Record<Service, string[]>>> {
  const o = resolveDevstackOptions(options);
  const logs: Partial<Record<Service, string[]>> = {};
  for (const service of o.services) {
    const state = await readState(o.cacheDir, service, portOf(o, service));
    logs[service] = state === undefined ? [] : await tailFiles(state.logFiles, lines);
  }
  return logs;
}
