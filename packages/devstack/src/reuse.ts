import { elasticsearchVersion, isElasticsearchHealthy } from './elasticsearch/health.js';
import { isKafkaHealthy } from './kafka/health.js';
import type { ResolvedDevstackOptions } from './options.js';
import { assertPortFree, isPortInUse } from './runtime/ports.js';
import { readState } from './runtime/state-file.js';
import type { ElasticsearchHandle, KafkaHandle } from './types.js';

export const kafkaBrokers = (port: number): string[] => [`127.0.0.1:${port}`];
export const esUrl = (port: number): string => `http://127.0.0.1:${port}`;

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
  const url = esUrl(o.esPort);
  if (o.reuse && (await isElasticsearchHealthy(url))) {
    const state = await readState(o.cacheDir, 'elasticsearch', o.esPort);
    return {
      url,
      port: o.esPort,
      version: (await elasticsearchVersion(url)) ?? state?.version ?? 'unknown',
      startupMs: 0,
      reused: true,
      ...(state === undefined ? {} : { pid: state.pid }),
      logFiles: state?.logFiles ?? [],
    };
  }
  await assertPortFree(o.esPort, 'esPort', 'elasticsearch');
  return undefined;
}
