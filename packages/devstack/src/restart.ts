import { performance } from 'node:perf_hooks';
import { progressLogger, publish } from './diagnostics.js';
import { launchElasticsearch } from './elasticsearch/es-server.js';
import { resolveElasticsearch } from './elasticsearch/resolve.js';
import { DEVSTACK_ERROR_CODES, DevstackError } from './errors.js';
import { launchKafka } from './kafka/kafka-server.js';
import { resolveKafka } from './kafka/resolve.js';
import { DEVSTACK_OPTIONS, SERVICE_PORTS, type ResolvedDevstackOptions, type Service } from './options.js';
import { RESTART_OPTIONS, type RestartOptions } from './restart-options.js';
import { esUrl } from './elasticsearch/health.js';
import { readAccess } from './elasticsearch/security.js';
import { kafkaBrokers } from './reuse.js';
import { checkJava } from './runtime/java.js';
import { findPortOwner, isPortInUse, waitForPortFree } from './runtime/ports.js';
import { keepOnExit, stopProcessGroup } from './runtime/process-group.js';
import { readLiveState } from './runtime/process-identity.js';
import {
  restartedState,
  stateDir,
  writeState,
  type LaunchRecord,
  type ServiceState,
} from './runtime/state-file.js';
import { killOnExitWithRestarts } from './runtime/stop-server.js';
import { unprivilegedUser } from './runtime/unprivileged-user.js';
import type { ElasticsearchHandle, KafkaHandle, Restarted, RestartInfo } from './types.js';

/**
 * Restarts the Kafka broker the devstack manages on `kafkaPort` — started by `startDevstack` in this process or in
 * another one (`tributary-devstack up --detach`, a vitest global setup): finds it through its state file, stops its
 * process group (`signal`), waits for its ports to free, starts it again with the same configuration on the same
 * ports and data, records the new pid in the state file and resolves once a metadata request succeeds. `down`,
 * `status` and the `stop()` of a `Devstack` handle taken before the restart then act on the new process.
 *
 * @throws DevstackError `TRIB_DEVSTACK_NOT_MANAGED` (a broker the devstack did not start listens there: never
 *   touched), `…_NOT_RUNNING` (nothing there), `…_INVALID_OPTION`, `…_PORT_IN_USE` (a port did not free after the
 *   stop), `…_START_FAILED`, `…_START_TIMEOUT`, `…_STOP_FAILED`.
 */
export async function restartKafka(options: RestartOptions = {}): Promise<Restarted<KafkaHandle>> {
  const { state, info } = await restartService('kafka', options);
  return {
    brokers: kafkaBrokers(state.port),
    port: state.port,
    version: state.version,
    startupMs: state.startupMs,
    reused: false,
    pid: state.pid,
    logFiles: state.logFiles,
    ...info,
  };
}

/** Restarts the Elasticsearch node the devstack manages on `esPort`; see {@link restartKafka}. Resolves at yellow. */
export async function restartElasticsearch(
  options: RestartOptions = {},
): Promise<Restarted<ElasticsearchHandle>> {
  const { state, info } = await restartService('elasticsearch', options);
  const { security } = state;
  return {
    url: esUrl(state.port, security !== undefined),
    port: state.port,
    version: state.version,
    startupMs: state.startupMs,
    reused: false,
    pid: state.pid,
    logFiles: state.logFiles,
    ...(security === undefined
      ? {}
      : { security: { ...security, password: (await readAccess(security)).password } }),
    ...info,
  };
}

async function restartService(
  service: Service,
  options: RestartOptions,
): Promise<{ state: ServiceState; info: RestartInfo }> {
  const o = RESTART_OPTIONS.resolve({ ...options, services: [service] });
  const log = progressLogger(o.log);
  const [portOption, secondaryOption] = SERVICE_PORTS[service];
  const port = o[portOption];
  const state = await readLiveState(o.cacheDir, service, port);
  if (state === undefined) throw await notManaged(o, service, port, portOption);
  // Everything the relaunch needs is known before the server is stopped.
  const launch = state.launch?.service === service ? state.launch : await launchFromOptions(o, state, log);

  log(`[${service}] restarting pid ${state.pid} on port ${port} (${o.signal})`);
  const stopStart = performance.now();
  const stopped = await stopProcessGroup(state.pid, o.stopTimeoutMs, service, o.signal);
  keepOnExit(state.pid);
  publish('stopped', { service, port, pid: state.pid, how: stopped });
  log(`[${service}] pid ${state.pid} ${stopped} in ${Math.round(performance.now() - stopStart)} ms`);
  for (const [option, p] of [
    [portOption, state.port],
    [secondaryOption, state.secondaryPort],
  ] as const) {
    if (!(await waitForPortFree(p, o.stopTimeoutMs))) {
      const owner = await findPortOwner(p);
      throw new DevstackError(
        DEVSTACK_ERROR_CODES.PORT_IN_USE,
        `Port ${p} (${option}, ${service}) is still in use ${o.stopTimeoutMs} ms after pid ${state.pid} stopped` +
          `${owner === undefined ? '' : `: it is held by ${owner}`}. ${service} is down; its data is kept in ` +
          `${state.serviceDir}. Fix: stop that process, then start the stack again.`,
        { port: p, service },
      );
    }
  }

  // The state file names the new pid as soon as it exists, so `down` finds it even if this process dies now.
  const onSpawn = (pid: number): Promise<void> =>
    writeState(o.cacheDir, restartedState(state, { pid, startupMs: 0, launch, at: new Date() }));
  const common = {
    serviceDir: state.serviceDir,
    port: state.port,
    heap: launch.heap,
    timeoutMs: o.startTimeoutMs,
    stopTimeoutMs: o.stopTimeoutMs,
    onSpawn,
  };
  const started =
    launch.service === 'kafka'
      ? await launchKafka({
          ...common,
          javaCommand: launch.javaCommand,
          libsDir: launch.libsDir,
          runAs: launch.runAs,
        })
      : await launchElasticsearch({
          ...common,
          home: launch.home,
          javaHome: launch.javaHome,
          transportPort: state.secondaryPort,
          writeQueueSize: launch.writeQueueSize,
          writeThreadPoolSize: launch.writeThreadPoolSize,
          settings: launch.settings,
          runAs: launch.runAs,
          security: state.security,
        });
  const next = restartedState(state, {
    pid: started.pid,
    startupMs: started.startupMs,
    launch,
    at: new Date(),
  });
  await writeState(o.cacheDir, next);
  // Its owner stays responsible for it: kill it on exit here only when this process is that owner.
  if (state.ownerPid === process.pid && !state.detached) killOnExitWithRestarts(o.cacheDir, next);
  else keepOnExit(started.pid);
  const downtimeMs = Math.round(performance.now() - stopStart);
  publish('started', {
    service,
    port,
    version: state.version,
    startupMs: started.startupMs,
    reused: false,
    pid: started.pid,
  });
  log(`[${service}] healthy again in ${started.startupMs} ms (pid ${started.pid}, down ${downtimeMs} ms)`);
  return { state: next, info: { previousPid: state.pid, stopped, downtimeMs } };
}

/** The error for a port without a server the devstack manages: something else listens there, or nothing does. */
async function notManaged(
  o: ResolvedDevstackOptions,
  service: Service,
  port: number,
  option: (typeof SERVICE_PORTS)[Service][0],
): Promise<DevstackError> {
  const where = `Cannot restart ${service} on port ${port} (${option})`;
  if (await isPortInUse(port)) {
    const owner = await findPortOwner(port);
    return new DevstackError(
      DEVSTACK_ERROR_CODES.NOT_MANAGED,
      `${where}: ${owner === undefined ? 'the server listening there' : `it is held by ${owner}, which`} was not ` +
        `started by the devstack (no state file in ${stateDir(o.cacheDir)} names a live process of ours), so it is ` +
        `left alone. Fix: restart it with the tool that started it (e.g. \`docker compose restart ${service}\`), or ` +
        `pass the port of a server the devstack started (${option} / --${DEVSTACK_OPTIONS.flagName(option)}).`,
      { port, service },
    );
  }
  return new DevstackError(
    DEVSTACK_ERROR_CODES.NOT_RUNNING,
    `${where}: nothing is running there. Fix: start it with \`tributary-devstack up\` / startDevstack(), or pass ` +
      `the port it runs on (${option} / --${DEVSTACK_OPTIONS.flagName(option)}).`,
    { port, service },
  );
}

/**
 * The launch settings of a server whose state file predates restarts (no `launch` record): taken from the options of
 * this call and the cache, as `startDevstack` would have used them.
 */
async function launchFromOptions(
  o: ResolvedDevstackOptions,
  state: ServiceState,
  log: (line: string) => void,
): Promise<LaunchRecord> {
  log(
    `[${state.service}] its state file has no launch record (older devstack): relaunching with this call's ` +
      'javaCommand and heap',
  );
  const resolve = { cacheDir: o.cacheDir, version: state.version, mavenCommand: o.mavenCommand, log };
  if (state.service === 'kafka') {
    const { libsDir } = await resolveKafka({ ...resolve, timeoutMs: o.resolveTimeoutMs });
    // Devstacks that wrote no launch record ran Kafka as themselves (root included): its files are theirs.
    return { service: 'kafka', javaCommand: o.javaCommand, libsDir, heap: o.kafkaHeap };
  }
  const java = await checkJava(o.javaCommand);
  if (java.home === undefined) {
    throw new DevstackError(
      DEVSTACK_ERROR_CODES.JAVA_MISSING,
      `${o.javaCommand} did not report java.home (needed as ES_JAVA_HOME). Fix: pass javaCommand / --java.`,
    );
  }
  const { home } = await resolveElasticsearch({
    ...resolve,
    javaHome: java.home,
    timeoutMs: o.resolveTimeoutMs,
  });
  const runAs = await unprivilegedUser();
  return {
    service: 'elasticsearch',
    home,
    javaHome: java.home,
    heap: o.esHeap,
    ...(o.writeQueueSize === undefined ? {} : { writeQueueSize: o.writeQueueSize }),
    ...(o.writeThreadPoolSize === undefined ? {} : { writeThreadPoolSize: o.writeThreadPoolSize }),
    settings: { ...o.esSettings },
    ...(runAs === undefined ? {} : { runAs }),
  };
}
