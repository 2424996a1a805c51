/**
 * The thread of a `ConnectorThread` (worker_threads entry, never imported): builds the connector with the factory
 * named in `workerData`, starts it, reports its health and stats every 200 ms and its failure, and stops it when told.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  CONNECTOR_STATE_INTERVAL_MS,
  serializeSinkError,
  type FromConnectorThread,
  type ToConnectorThread,
} from './connector-thread.js';
import type { KafkaEsConnector } from './kafka-es-connector.js';

interface ConnectorWorkerData {
  readonly module: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
}

if (parentPort === null) throw new Error('connector-worker runs as a worker thread of a ConnectorThread');
const port = parentPort;
const post = (m: FromConnectorThread): void => port.postMessage(m);

async function run(data: ConnectorWorkerData): Promise<void> {
  let connector: KafkaEsConnector;
  try {
    const factory = ((await import(data.module)) as Record<string, unknown>)[data.exportName];
    if (typeof factory !== 'function')
      throw new Error(`${data.module} has no function export ${data.exportName}`);
    connector = (factory as (...args: unknown[]) => KafkaEsConnector)(...data.args);
    await connector.start();
  } catch (error) {
    post({ type: 'start-failed', error: serializeSinkError(error) });
    return;
  }
  const report = (): void => post({ type: 'state', health: connector.health(), stats: connector.stats });
  report();
  post({ type: 'started' });
  const timer = setInterval(report, CONNECTOR_STATE_INTERVAL_MS);
  void connector.failure.then((error) => post({ type: 'failure', error: serializeSinkError(error) }));
  port.on('message', (m: ToConnectorThread) => {
    if (m.type !== 'stop') return;
    clearInterval(timer);
    void connector
      .stop()
      .catch(() => undefined) // stop() itself is best effort; the owner only waits for it to end
      .finally(() => {
        report();
        post({ type: 'stopped' });
        port.close();
      });
  });
}

await run(workerData as ConnectorWorkerData);
