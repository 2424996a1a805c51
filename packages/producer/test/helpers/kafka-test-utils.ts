import { createServer } from 'node:net';
import { createKafkaClient } from '@tributary/kafka';
import type { IHeaders } from '@tributary/kafka';

export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k] = String(v);
  return out;
}

/**
 * Reads `expected` records from the start of `topic` with a throwaway consumer group; returns them per partition in
 * offset order (partitions ascending). Fails after `timeoutMs`.
 */
export async function readTopic(
  brokers: string[],
  topic: string,
  expected: number,
  timeoutMs = 60_000,
): Promise<ReadRecord[]> {
  const kafka = createKafkaClient({ clientId: 'producer-tests', brokers });
  const consumer = kafka.consumer({ groupId: uniqueName('producer-test'), maxWaitTimeInMs: 200 });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${records.length}/${expected} records of ${topic} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              records.push({
                partition: batch.partition,
                offset: m.offset,
                key: m.key === null ? null : m.key.toString('utf8'),
                value: m.value ?? Buffer.alloc(0),
                headers: headersToStrings(m.headers),
              });
            }
            if (records.length >= expected) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

export async function deleteTopic(brokers: string[], topic: string): Promise<void> {
  const admin = createKafkaClient({ clientId: 'producer-tests', brokers }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
  } catch {
    // best effort cleanup
  } finally {
    await admin.disconnect();
  }
}

/** A localhost port where nothing listens (bound then released). */
export async function deadPort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
