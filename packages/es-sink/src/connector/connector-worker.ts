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
  // Set once started, read by the stop listener installed before.
  const running: { connector?: KafkaEsConnector; timer?: NodeJS.Timeout } = {};
  let stopRequested = false;
  const report = (c: KafkaEsConnector): void => post({ type: 'state', health: c.health(), stats: c.stats });
  const stop = (c: KafkaEsConnector): void => {
    clearInterval(running.timer);
    void c
      .stop()
      .then(
        () => undefined,
        (error: unknown) => serializeSinkError(error),
      )
      .then((error) => {
        report(c); // the last state, before the word that it stopped
        post(error === undefined ? { type: 'stopped' } : { type: 'stopped', error });
        port.close();
      });
  };
  // Listening before the connector starts: a stop asked for during its start stops it as soon as it has started.
  port.on('message', (m: ToConnectorThread) => {
    if (m.type !== 'stop' || stopRequested) return;
    stopRequested = true;
    if (running.connector !== undefined) stop(running.connector);
  });
  let built: KafkaEsConnector;
  try {
    const factory = ((await import(data.module)) as Record<string, unknown>)[data.exportName];
    if (typeof factory !== 'function')
      throw new Error(`${data.module} has no function export ${data.exportName}`);
    built = (factory as (...args: unknown[]) => KafkaEsConnector)(...data.args);
    await built.start();
  } catch (error) {
    post({ type: 'start-failed', error: serializeSinkError(error) });
    port.close();
    return;
  }
  running.connector = built;
  report(built);
  post({ type: 'started' });
  void built.failure.then((error) => post({ type: 'failure', error: serializeSinkError(error) }));
  if (stopRequested) {
    stop(built);
    return;
  }
  running.timer = setInterval(() => report(built), CONNECTOR_STATE_INTERVAL_MS);
}

await run(workerData as ConnectorWorkerData);
