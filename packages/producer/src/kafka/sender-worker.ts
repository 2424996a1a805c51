/**
 * Entry point of a sender thread (worker_threads): owns one kafkajs idempotent producer per lane it is given, turns
 * each transferred batch into kafkajs messages (views into the buffer) and sends it; answers with the offsets and
 * the time of the acknowledgement. Only ever started by SenderThread.
 */
import { parentPort } from 'node:worker_threads';
import { unpackBatch } from './batch-transfer.js';
import type { TransferBatch } from './batch-transfer.js';
import { resolveCompression } from './compression.js';
import { createKafka } from './kafka-client.js';
import { KafkaBatchSender } from './kafka-batch-sender.js';
import type { KafkaMessage } from './kafka-message.js';
import { crossThreadNow, serializeError } from './sender-protocol.js';
import type { FromSender, ToSender } from './sender-protocol.js';

const port = parentPort;
if (port === null) throw new Error('sender-worker.js runs only as a worker thread');

/** A lane's producer and the batches handed over to it, sent in hand-over order, maxInFlight at once. */
interface Lane {
  sender: Promise<KafkaBatchSender>;
  maxInFlight: number;
  active: number;
  queue: { id: number; batch: TransferBatch }[];
}

const lanes = new Map<number, Lane>();
const post = (m: FromSender): void => port.postMessage(m);

function toMessages(batch: TransferBatch): KafkaMessage[] {
  return unpackBatch(batch).map((r) =>
    r.headers === undefined
      ? { key: r.key, value: r.value, partition: r.partition }
      : { key: r.key, value: r.value, partition: r.partition, headers: r.headers },
  );
}

/** Starts the lane's next sends while it has room. */
function pump(lane: Lane): void {
  while (lane.active < lane.maxInFlight && lane.queue.length > 0) {
    const { id, batch } = lane.queue.shift()!;
    lane.active++;
    lane.sender
      .then((s) => s.sendMessages(toMessages(batch)))
      .then(
        (acks) => post({ type: 'acked', id, acks, ackedAtEpochMs: crossThreadNow() }),
        (err: unknown) => post({ type: 'failed', id, error: serializeError(err) }),
      )
      .finally(() => {
        lane.active--;
        pump(lane);
      });
  }
}

port.on('message', (m: ToSender) => {
  switch (m.type) {
    case 'open': {
      const o = m.options;
      const opening = (async () => {
        const compression = resolveCompression(o.compression);
        return KafkaBatchSender.connect(await createKafka(o), o, {
          topic: o.topic,
          compression,
          requestTimeoutMs: o.requestTimeoutMs,
        });
      })();
      lanes.set(m.lane, { sender: opening, maxInFlight: m.maxInFlight, active: 0, queue: [] });
      opening.then(
        () => post({ type: 'opened', lane: m.lane }),
        (err: unknown) => post({ type: 'open-failed', lane: m.lane, error: serializeError(err) }),
      );
      break;
    }
    case 'send': {
      const lane = lanes.get(m.lane);
      if (lane === undefined) {
        const error = serializeError(new Error(`lane ${m.lane} was never opened`));
        post({ type: 'failed', id: m.id, error });
      } else {
        lane.queue.push({ id: m.id, batch: m.batch });
        pump(lane);
      }
      break;
    }
    case 'close': {
      void Promise.all(
        [...lanes.values()].map((l) => l.sender.then((s) => s.close()).catch(() => undefined)),
      ).then(() => {
        post({ type: 'closed' });
        port.close();
      });
      break;
    }
  }
});
