import type { TestProject } from 'vitest/node';
import {
  devstackOptionsFromEnv,
  resolveDevstackOptions,
  resolveKafka,
  startDevstack,
} from '../packages/devstack/src/index.js';
import './provided-context.js';

/**
 * Global setup of the vitest `integration` project: starts a real Kafka and a real Elasticsearch (downloading them
 * into the cache on a fresh machine), or reuses healthy ones already on the ports, and provides their addresses.
 * Ports and the rest come from TRIBUTARY_* environment variables (TRIBUTARY_KAFKA_PORT, TRIBUTARY_ES_PORT, …).
 * The teardown stops only what this setup started.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startDevstack({
    ...devstackOptionsFromEnv(),
    services: ['kafka', 'elasticsearch'],
    reuse: true,
    log: (line) => console.log(`[devstack] ${line}`),
  });
  const kafka = stack.kafka!;
  const elasticsearch = stack.elasticsearch!;
  const describe = (h: { reused: boolean; startupMs: number; version: string }): string =>
    h.reused ? `reused (version ${h.version})` : `started in ${h.startupMs} ms (version ${h.version})`;
  console.log(`[devstack] kafka ${kafka.brokers.join(',')}: ${describe(kafka)}`);
  console.log(`[devstack] elasticsearch ${elasticsearch.url}: ${describe(elasticsearch)}`);
  project.provide('kafkaBrokers', kafka.brokers);
  project.provide('elasticsearchUrl', elasticsearch.url);
  // Known when the devstack started Elasticsearch (now or earlier, from its state file); not for a foreign node.
  if (elasticsearch.pid !== undefined) project.provide('elasticsearchPid', elasticsearch.pid);
  const options = resolveDevstackOptions(devstackOptionsFromEnv());
  const { libsDir } = await resolveKafka({
    cacheDir: options.cacheDir,
    version: options.kafkaVersion,
    mavenCommand: options.mavenCommand,
    timeoutMs: options.resolveTimeoutMs,
    log: (line) => console.log(`[devstack] ${line}`),
  });
  project.provide('kafkaTools', { javaCommand: options.javaCommand, libsDir });
  return async () => {
    await stack.stop();
  };
}
