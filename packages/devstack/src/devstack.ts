import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { progressLogger, publish } from './diagnostics.js';
import { startElasticsearch } from './elasticsearch/es-server.js';
import { resolveElasticsearch } from './elasticsearch/resolve.js';
import { startKafka } from './kafka/kafka-server.js';
import { resolveKafka } from './kafka/resolve.js';
import { resolveDevstackOptions, type DevstackOptions, type Service } from './options.js';
import { checkJava, type JavaInfo } from './runtime/java.js';
import { keepOnExit } from './runtime/process-group.js';
import { isSameServer, readState, writeState, type ServiceState } from './runtime/state-file.js';
import { killOnExitWithRestarts, stopRecordedServer } from './runtime/stop-server.js';
import { assertTrustedDirectory } from './runtime/path-safety.js';
import { removeTree } from './runtime/service-directory.js';
import { unprivilegedUser } from './runtime/unprivileged-user.js';
import { esUrl } from './elasticsearch/health.js';
import { readAccess } from './elasticsearch/security.js';
import { kafkaBrokers, reusableElasticsearch, reusableKafka } from './reuse.js';
import type { Devstack } from './types.js';

/**
 * Starts (or reuses) a real Kafka in KRaft mode and a real Elasticsearch 8 on loopback, resolving them from Maven
 * Central into the cache on the first run. Resolves once each is healthy. A healthy server already listening on a
 * port is reused (`reused: true`) and never stopped by {@link Devstack.stop}.
 *
 * @throws DevstackError `TRIB_DEVSTACK_INVALID_OPTION`, `…_JAVA_MISSING`, `…_JAVA_VERSION`, `…_MAVEN_MISSING`,
 *   `…_PORT_IN_USE`, `…_RESOLVE_FAILED`, `…_DISK_FULL`, `…_START_FAILED`, `…_START_TIMEOUT`.
 */
export async function startDevstack(options: DevstackOptions = {}): Promise<Devstack> {
  const o = resolveDevstackOptions(options);
  const log = progressLogger(o.log);
  const wants = (service: Service): boolean => o.services.includes(service);

  let kafka = wants('kafka') ? await reusableKafka(o) : undefined;
  let elasticsearch = wants('elasticsearch') ? await reusableElasticsearch(o) : undefined;
  for (const handle of [kafka, elasticsearch]) {
    if (handle !== undefined)
      log(`[${'brokers' in handle ? 'kafka' : 'elasticsearch'}] reusing the server on port ${handle.port}`);
  }
  const startKafkaToo = wants('kafka') && kafka === undefined;
  const startEsToo = wants('elasticsearch') && elasticsearch === undefined;

  const started: ServiceState[] = [];
  let dataRoot: string | undefined;
  let stopped = false;
  const stopStarted = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // The state file is read again: a server restarted since (restartKafka, `restart`) runs under a new pid.
    for (const state of [...started].reverse()) {
      await stopRecordedServer(o.cacheDir, state, o.stopTimeoutMs, log);
    }
  };

  if (startKafkaToo || startEsToo) {
    const java: JavaInfo = await checkJava(o.javaCommand);
    const kafkaLibs = startKafkaToo
      ? await resolveKafka({
          cacheDir: o.cacheDir,
          version: o.kafkaVersion,
          mavenCommand: o.mavenCommand,
          timeoutMs: o.resolveTimeoutMs,
          log,
        })
      : undefined;
    const esHome = startEsToo
      ? await resolveElasticsearch({
          cacheDir: o.cacheDir,
          version: o.esVersion,
          mavenCommand: o.mavenCommand,
          javaHome: java.home,
          timeoutMs: o.resolveTimeoutMs,
          log,
        })
      : undefined;
    const ownsDataRoot = o.dataDir === undefined;
    dataRoot = o.dataDir ?? (await mkdtemp(join(tmpdir(), 'tributary-devstack-')));
    await mkdir(dataRoot, { recursive: true });
    // When we are root both servers run as `nobody`: root prepares their directories inside a data root only root
    // can change, and `nobody` must be able to traverse it.
    const runAs = await unprivilegedUser();
    if (runAs !== undefined) await assertTrustedDirectory(dataRoot, 'data directory (dataDir)');
    if (ownsDataRoot) await chmod(dataRoot, 0o755);
    else if (runAs !== undefined) await chmod(dataRoot, ((await stat(dataRoot)).mode & 0o7777) | 0o001);
    const record = async (state: ServiceState): Promise<void> => {
      started.push(state);
      await writeState(o.cacheDir, state);
      killOnExitWithRestarts(o.cacheDir, state);
    };
    try {
      if (kafkaLibs !== undefined) {
        const serviceDir = join(dataRoot, 'kafka');
        log(`[kafka] starting Kafka ${o.kafkaVersion} on 127.0.0.1:${o.kafkaPort} (data ${serviceDir})`);
        const k = await startKafka({
          javaCommand: o.javaCommand,
          libsDir: kafkaLibs.libsDir,
          serviceDir,
          port: o.kafkaPort,
          controllerPort: o.kafkaControllerPort,
          heap: o.kafkaHeap,
          autoCreateTopics: o.autoCreateTopics,
          overrides: o.kafkaProperties,
          timeoutMs: o.startTimeoutMs,
          stopTimeoutMs: o.stopTimeoutMs,
          runAs,
        });
        await record({
          service: 'kafka',
          version: o.kafkaVersion,
          port: o.kafkaPort,
          secondaryPort: o.kafkaControllerPort,
          pid: k.pid,
          serviceDir,
          dataRoot,
          ownsDataRoot,
          logFiles: k.logFiles,
          startedAt: new Date().toISOString(),
          startupMs: k.startupMs,
          ownerPid: process.pid,
          detached: false,
          launch: {
            service: 'kafka',
            javaCommand: o.javaCommand,
            libsDir: kafkaLibs.libsDir,
            heap: o.kafkaHeap,
            ...(runAs === undefined ? {} : { runAs }),
          },
        });
        kafka = {
          brokers: kafkaBrokers(o.kafkaPort),
          port: o.kafkaPort,
          version: o.kafkaVersion,
          startupMs: k.startupMs,
          reused: false,
          pid: k.pid,
          logFiles: k.logFiles,
        };
        log(`[kafka] healthy in ${k.startupMs} ms (pid ${k.pid})`);
      }
      if (esHome !== undefined) {
        const serviceDir = join(dataRoot, 'elasticsearch');
        log(
          `[elasticsearch] starting Elasticsearch ${o.esVersion} on 127.0.0.1:${o.esPort} (data ${serviceDir})` +
            `${o.esSecurity ? ', security and HTTP TLS on' : ''}`,
        );
        if (java.home === undefined)
          throw new Error(`${o.javaCommand} did not report java.home (needed as ES_JAVA_HOME)`);
        const e = await startElasticsearch({
          home: esHome.home,
          javaHome: java.home,
          serviceDir,
          port: o.esPort,
          transportPort: o.esTransportPort,
          heap: o.esHeap,
          writeQueueSize: o.writeQueueSize,
          writeThreadPoolSize: o.writeThreadPoolSize,
          settings: o.esSettings,
          timeoutMs: o.startTimeoutMs,
          stopTimeoutMs: o.stopTimeoutMs,
          runAs,
          secure: o.esSecurity,
        });
        await record({
          service: 'elasticsearch',
          version: o.esVersion,
          port: o.esPort,
          secondaryPort: o.esTransportPort,
          pid: e.pid,
          serviceDir,
          dataRoot,
          ownsDataRoot,
          logFiles: e.logFiles,
          startedAt: new Date().toISOString(),
          startupMs: e.startupMs,
          ownerPid: process.pid,
          detached: false,
          launch: {
            service: 'elasticsearch',
            home: esHome.home,
            javaHome: java.home,
            heap: o.esHeap,
            ...(o.writeQueueSize === undefined ? {} : { writeQueueSize: o.writeQueueSize }),
            ...(o.writeThreadPoolSize === undefined ? {} : { writeThreadPoolSize: o.writeThreadPoolSize }),
            settings: { ...o.esSettings },
            ...(runAs === undefined ? {} : { runAs }),
          },
          ...(e.security === undefined ? {} : { security: e.security }),
        });
        elasticsearch = {
          url: esUrl(o.esPort, e.security !== undefined),
          port: o.esPort,
          version: o.esVersion,
          startupMs: e.startupMs,
          reused: false,
          pid: e.pid,
          logFiles: e.logFiles,
          ...(e.security === undefined
            ? {}
            : { security: { ...e.security, password: (await readAccess(e.security)).password } }),
        };
        log(`[elasticsearch] healthy in ${e.startupMs} ms (pid ${e.pid})`);
      }
    } catch (error) {
      await stopStarted().catch(() => undefined);
      if (ownsDataRoot) {
        const remove =
          runAs === undefined ? rm(dataRoot, { recursive: true, force: true }) : removeTree(dataRoot);
        await remove.catch(() => undefined);
      }
      throw error;
    }
  }

  for (const h of [kafka, elasticsearch]) {
    if (h === undefined) continue;
    publish('started', {
      service: 'brokers' in h ? 'kafka' : 'elasticsearch',
      port: h.port,
      version: h.version,
      startupMs: h.startupMs,
      reused: h.reused,
      pid: h.pid,
    });
  }

  return {
    kafka,
    elasticsearch,
    dataDir: dataRoot,
    stop: stopStarted,
    detach: async () => {
      for (const state of started) {
        // After a restart the state file names the new pid: detach that one, not the pid recorded at start.
        const latest = await readState(o.cacheDir, state.service, state.port);
        const current = latest !== undefined && isSameServer(state, latest) ? latest : state;
        keepOnExit(state.pid);
        keepOnExit(current.pid);
        await writeState(o.cacheDir, { ...current, detached: true });
      }
    },
  };
}
