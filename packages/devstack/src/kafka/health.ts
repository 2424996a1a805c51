import { createKafkaClient } from '@tributary/kafka';

/** True when a kafkajs admin can connect to `brokers` and read cluster metadata within `timeoutMs`. Never throws. */
export async function isKafkaHealthy(brokers: readonly string[], timeoutMs = 3000): Promise<boolean> {
  const kafka = createKafkaClient({
    clientId: 'tributary-devstack-health',
    brokers,
    connectionTimeoutMs: timeoutMs,
    requestTimeoutMs: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0 || cluster.controller === null) return false;
    await admin.fetchTopicMetadata({ topics: [] });
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
