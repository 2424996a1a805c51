import { elasticsearchVersion, esUrl, isElasticsearchHealthy } from './elasticsearch/health.js';
import { readAccess } from './elasticsearch/security.js';
import { isKafkaHealthy } from './kafka/health.js';
import type { ResolvedDevstackOptions } from './options.js';
import { assertPortFree, isPortInUse } from './runtime/ports.js';
import { isOurServer, SERVER_MARKERS } from './runtime/process-identity.js';
import { readState } from './runtime/state-file.js';
import type { ElasticsearchHandle, KafkaHandle } from './types.js';

export const kafkaBrokers = (port: number): string[] => [`127.0.0.1:${port}`];

/** A healthy Kafka already on the port, reused; undefined when the port is free. Throws PORT_IN_USE otherwise. */
export async function reusableKafka(o: ResolvedDevstackOptions): Promise<KafkaHandle | undefined> {
  if (!(await isPortInUse(o.kafkaPort))) {
    await assertPortFree(o.kafkaControllerPort, 'kafkaControllerPort', 'kafka');
    return undefined;
  }
  if (o.reuse && (await isKafkaHealthy(kafkaBrokers(o.kafkaPort)))) {
    const state = await readState(o.cacheDir, 'kafka', o.kafkaPort);
    return {
      brokers: kafkaBrokers(o.kafkaPort),
      port: o.kafkaPort,
      version: state?.version ?? 'unknown',
      startupMs: 0,
      reused: true,
      ...(state === undefined ? {} : { pid: state.pid }),
      logFiles: state?.logFiles ?? [],
    };
  }
  await assertPortFree(o.kafkaPort, 'kafkaPort', 'kafka');
  return undefined;
}

export async function reusableElasticsearch(
  o: ResolvedDevstackOptions,
): Promise<ElasticsearchHandle | undefined> {
  if (!(await isPortInUse(o.esPort))) {
    await assertPortFree(o.esTransportPort, 'esTransportPort', 'elasticsearch');
    return undefined;
  }
  // A node with security on is reached with what its state file names; only a node as secure as asked is reused.
  const state = await readState(o.cacheDir, 'elasticsearch', o.esPort);
  const security =
    state?.security !== undefined && isOurServer(state.pid, SERVER_MARKERS.elasticsearch)
      ? state.security
      : undefined;
  const access = security === undefined ? undefined : await readAccess(security).catch(() => undefined);
  const url = esUrl(o.esPort, security !== undefined);
  if (
    o.reuse &&
    (security !== undefined) === o.esSecurity &&
    (security === undefined || access !== undefined) &&
    (await isElasticsearchHealthy(url, undefined, access))
  ) {
    return {
      url,
      port: o.esPort,
      version: (await elasticsearchVersion(url, undefined, access)) ?? state?.version ?? 'unknown',
      startupMs: 0,
      reused: true,
      ...(state === undefined ? {} : { pid: state.pid }),
      logFiles: state?.logFiles ?? [],
      ...(security === undefined || access === undefined
        ? {}
        : { security: { ...security, password: access.password } }),
    };
  }
  await assertPortFree(o.esPort, 'esPort', 'elasticsearch');
  return undefined;
}
