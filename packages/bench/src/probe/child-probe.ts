/**
 * Loaded into the processor child with `node --import` by `bench run` (never imported by the library): times the
 * processor from inside its own process and reports over the IPC channel. It wraps
 *
 * - kafkajs `Kafka#consumer()`: every batch of the input topic handed to `eachBatch`/`eachMessage` is timed from
 *   each record's timestamp (create time, set by the producer at send) to that call;
 * - `@elastic/transport` `Transport#request()` for `/_bulk`: acknowledged final window documents (with the ack
 *   time) and enriched-event documents (ack time − event timestamp);
 * - `perf_hooks.monitorEventLoopDelay` of the child.
 *
 * Every `intervalMs` it sends the interval's histogram deltas, window acks and the cumulative event-loop delay
 * (see probe-protocol.ts). Failures of the probe never reach the processor: it then just reports less.
 */
import { createRequire } from 'node:module';
import { BroadcastChannel, isMainThread } from 'node:worker_threads';
import { loadKafkajs } from '@tributary/kafka';
import { LatencyHistogram } from '@tributary/producer';
import { EventLoopDelayMonitor } from '../resources/event-loop-delay.js';
import { bulkAcks, type BulkAcks } from './bulk-acks.js';
import {
  PROBE_ENV,
  PROBE_HISTOGRAMS,
  PROBE_MESSAGE_KIND,
  isProbeCommand,
  type ProbeConfig,
  type ProbeIntervalMessage,
  type WindowAck,
} from './probe-protocol.js';

type AnyFn = (...args: unknown[]) => unknown;

interface KafkaMessageLike {
  readonly timestamp?: string;
}
interface BatchLike {
  readonly topic: string;
  readonly messages: readonly KafkaMessageLike[];
}

/**
 * Wraps `@elastic/transport`'s `Transport#request()` (the copy `req` resolves) so each acknowledged `/_bulk` request
 * reaches `onAcks` with its window and event acknowledgements and the time its response arrived.
 */
function onBulkAcks(req: NodeJS.Require, onAcks: (acks: BulkAcks, ackMs: number) => void): void {
  const esRequire = createRequire(req.resolve('@elastic/elasticsearch'));
  const transport = esRequire('@elastic/transport') as { Transport: { prototype: Record<string, AnyFn> } };
  const request = transport.Transport.prototype['request']!;
  transport.Transport.prototype['request'] = function wrappedRequest(this: unknown, ...args: unknown[]) {
    const result = request.apply(this, args);
    const params = args[0] as { path?: unknown; bulkBody?: unknown } | undefined;
    if (
      typeof params?.path === 'string' &&
      params.path.endsWith('/_bulk') &&
      typeof params.bulkBody === 'string' &&
      result instanceof Promise
    ) {
      const body = params.bulkBody;
      void result.then(
        (response: unknown) => {
          try {
            const r = response as { body?: { items?: unknown }; items?: unknown; statusCode?: number };
            const items = (r.statusCode !== undefined ? r.body?.items : r.items) as unknown[] | undefined;
            if (!Array.isArray(items)) return;
            const now = Date.now();
            onAcks(bulkAcks(body, items, now), now);
          } catch {
            // The probe never fails the processor.
          }
        },
        () => undefined,
      );
    }
    return result;
  };
}

/** Where the probe of a worker thread of the processor posts its bulk acknowledgements for the main thread's. */
const THREAD_CHANNEL = 'tributary:bench-probe:threads';

/** What a thread's probe posts: one bulk request's acknowledgements and when they arrived. */
interface ThreadBulkAcks extends BulkAcks {
  readonly ackMs: number;
}

/** In a worker thread (a connector's): only the bulk acknowledgements, posted to the main thread's probe. */
function installInThread(config: ProbeConfig): void {
  const toMain = new BroadcastChannel(THREAD_CHANNEL);
  toMain.unref();
  onBulkAcks(createRequire(config.resolveFrom), (acks, ackMs) => {
    if (acks.windows.length > 0 || acks.eventTimestamps.length > 0)
      toMain.postMessage({ ...acks, ackMs } satisfies ThreadBulkAcks);
  });
}

function install(config: ProbeConfig): void {
  if (!isMainThread) {
    installInThread(config);
    return;
  }
  const send = process.send?.bind(process);
  if (send === undefined) return;
  let fromMs = Number.POSITIVE_INFINITY;
  const kafkaToProcessor = new LatencyHistogram();
  const rawIndexed = new LatencyHistogram();
  let windowAcks: WindowAck[] = [];
  let eventLoop: EventLoopDelayMonitor | undefined;
  let seq = 0;

  const observeBatch = (batch: BatchLike): void => {
    if (batch.topic !== config.inputTopic) return;
    const now = Date.now();
    for (const m of batch.messages) {
      const ts = Number(m.timestamp);
      if (ts >= fromMs) kafkaToProcessor.recordMs(now - ts);
    }
  };

  const req = createRequire(config.resolveFrom);
  // The one kafkajs of @tributary/kafka, fixes installed first (the processor's clients come from it too).
  const kafkajs = loadKafkajs() as unknown as { Kafka: { prototype: Record<string, AnyFn> } };
  const consumer = kafkajs.Kafka.prototype['consumer']!;
  kafkajs.Kafka.prototype['consumer'] = function wrappedConsumer(this: unknown, ...args: unknown[]) {
    const c = consumer.apply(this, args) as { run: AnyFn };
    const run = c.run;
    c.run = (runConfig: unknown) => {
      const rc = { ...(runConfig as Record<string, AnyFn | unknown>) };
      const eachBatch = rc['eachBatch'] as AnyFn | undefined;
      const eachMessage = rc['eachMessage'] as AnyFn | undefined;
      if (eachBatch !== undefined) {
        rc['eachBatch'] = (payload: { batch: BatchLike }) => {
          observeBatch(payload.batch);
          return eachBatch(payload);
        };
      }
      if (eachMessage !== undefined) {
        rc['eachMessage'] = (payload: { topic: string; message: KafkaMessageLike }) => {
          observeBatch({ topic: payload.topic, messages: [payload.message] });
          return eachMessage(payload);
        };
      }
      return run.call(c, rc);
    };
    return c;
  };

  onBulkAcks(req, (acks, now) => {
    for (const w of acks.windows) windowAcks.push(w);
    for (const ts of acks.eventTimestamps) if (ts >= fromMs) rawIndexed.recordMs(now - ts);
  });
  // Bulk requests of connectors on their own threads (the enriched-events connector), forwarded by their probe.
  const threads = new BroadcastChannel(THREAD_CHANNEL);
  threads.unref();
  threads.onmessage = (event) => {
    const m = (event as { data: ThreadBulkAcks }).data;
    for (const w of m.windows) windowAcks.push(w);
    for (const ts of m.eventTimestamps) if (ts >= fromMs) rawIndexed.recordMs(m.ackMs - ts);
  };

  const report = (flushId?: number): void => {
    const histograms: Record<string, string> = {};
    if (kafkaToProcessor.totalCount > 0)
      histograms[PROBE_HISTOGRAMS.KAFKA_TO_PROCESSOR] = kafkaToProcessor.encode();
    if (rawIndexed.totalCount > 0) histograms[PROBE_HISTOGRAMS.RAW_INDEXED] = rawIndexed.encode();
    kafkaToProcessor.reset();
    rawIndexed.reset();
    const message: ProbeIntervalMessage = {
      kind: PROBE_MESSAGE_KIND,
      type: 'interval',
      seq: ++seq,
      atMs: Date.now(),
      ...(flushId === undefined ? {} : { flushId }),
      histograms,
      windowAcks,
      eventLoop: eventLoop?.figures() ?? null,
    };
    windowAcks = [];
    try {
      send(message);
    } catch {
      // The parent went away; nothing to report to.
    }
  };

  const timer = setInterval(() => report(), config.intervalMs);
  timer.unref();
  process.on('message', (message: unknown) => {
    if (!isProbeCommand(message)) return;
    if (message.type === 'flush') report(message.id);
    else {
      fromMs = message.fromMs;
      const startLoop = (): void => {
        eventLoop?.stop();
        eventLoop = new EventLoopDelayMonitor();
      };
      const wait = message.fromMs - Date.now();
      if (wait > 0) setTimeout(startLoop, wait).unref();
      else startLoop();
    }
  });
  // The channel must not keep the child alive once the processor has stopped.
  process.channel?.unref();
}

const raw = process.env[PROBE_ENV];
if (raw !== undefined) {
  try {
    install(JSON.parse(raw) as ProbeConfig);
  } catch (error) {
    process.stderr.write(`bench probe: not installed: ${(error as Error).message}\n`);
  }
}
