import { Worker } from 'node:worker_threads';
import { SINK_ERROR_CODES, SinkError, type SinkErrorCode, type SinkErrorRecord } from '../errors.js';
import type { ConnectorHealth, ConnectorStats, KafkaEsConnector } from './kafka-es-connector.js';

/**
 * What an application holding a connector uses of it, on this thread (a `KafkaEsConnector`) or on its own
 * (`ConnectorThread`).
 */
export type EmbeddedConnector = Pick<
  KafkaEsConnector,
  'start' | 'stop' | 'health' | 'failure' | 'deadLetterTopic'
> & {
  readonly stats: ConnectorStats;
};

/**
 * A connector factory a thread can load: `module`'s export `exportName`, called there with `args` (copied with the
 * structured clone algorithm: plain data, no functions), returning a `KafkaEsConnector`.
 */
export interface ConnectorFactoryRef {
  readonly module: URL | string;
  readonly exportName: string;
  readonly args: readonly unknown[];
}

/** A `SinkError` as it crosses threads. */
export interface SerializedSinkError {
  readonly code: string;
  readonly message: string;
  readonly retriable: boolean;
  readonly status?: number | undefined;
  readonly errorType?: string | undefined;
  readonly option?: string | undefined;
  readonly record?: SinkErrorRecord | undefined;
}

/** Messages of the connector's thread (connector-worker.ts) to its owner. */
export type FromConnectorThread =
  | { readonly type: 'started' }
  | { readonly type: 'start-failed'; readonly error: SerializedSinkError }
  | { readonly type: 'state'; readonly health: ConnectorHealth; readonly stats: ConnectorStats }
  | { readonly type: 'failure'; readonly error: SerializedSinkError }
  | { readonly type: 'stopped' };

/** Messages of the owner to the connector's thread. */
export type ToConnectorThread = { readonly type: 'stop' };

/** How often the thread reports its connector's health and stats. */
export const CONNECTOR_STATE_INTERVAL_MS = 200;
/** Time the thread gets to stop its connector (flush, commit, disconnect) before it is terminated. */
const STOP_TIMEOUT_MS = 60_000;

/**
 * The worker script: next to this module when running from dist/; from the package's dist/ when this module runs
 * from its TypeScript source (tests), since Node cannot start a worker from a .ts file — build first.
 */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/connector/connector-worker.js', here)
    : new URL('./connector-worker.js', here);
}

const NO_STATS: ConnectorStats = {
  consumed: 0,
  unmappable: 0,
  deadLettered: 0,
  deadLettersWaiting: 0,
  commits: 0,
  pending: 0,
  oldestPendingMs: undefined,
  paused: false,
  sink: {
    total: 0,
    successful: 0,
    retried: 0,
    failed: 0,
    duplicates: 0,
    bytes: 0,
    requests: 0,
    time: 0,
    inFlight: 0,
    buffered: 0,
    bufferedBytes: 0,
    retrying: 0,
    concurrency: 0,
  },
};

/**
 * A connector on a thread of its own (worker_threads): its Kafka fetches, document mapping, JSON serialization and
 * garbage stay off the owner's event loop, so a busy connector never delays the stream processing beside it. Built
 * in the thread by a factory module (`ConnectorFactoryRef`); `health()` and `stats` are the thread's latest report
 * (every 200 ms, and when it stops); `failure` resolves when the connector fails or the thread dies. Nothing runs
 * until `start()`.
 */
export class ConnectorThread implements EmbeddedConnector {
  readonly deadLetterTopic: string | false;
  readonly failure: Promise<SinkError>;
  readonly #factory: ConnectorFactoryRef;
  #resolveFailure: (error: SinkError) => void = () => {};
  #failed: SinkError | undefined;
  #worker: Worker | undefined;
  #exited: Promise<void> = Promise.resolve();
  #hasExited = false;
  #stopping = false;
  #stats: ConnectorStats = NO_STATS;
  #health: ConnectorHealth = {
    live: true,
    ready: false,
    details: {
      running: false,
      consumerJoined: false,
      elasticsearchReachable: false,
      assignedPartitions: [],
      paused: false,
      pending: 0,
      failure: undefined,
    },
  };
  #onStarted: ((error?: SinkError) => void) | undefined;
  #onStopped: (() => void) | undefined;

  /** `deadLetterTopic`: the connector's, known here before the thread runs (see `KafkaEsConnector`). */
  constructor(factory: ConnectorFactoryRef, deadLetterTopic: string | false) {
    this.#factory = factory;
    this.deadLetterTopic = deadLetterTopic;
    this.failure = new Promise((resolve) => (this.#resolveFailure = resolve));
  }

  get stats(): ConnectorStats {
    return this.#stats;
  }

  health(): ConnectorHealth {
    const failure = this.#failed?.message;
    if (failure === undefined) return this.#health;
    return { ...this.#health, live: false, ready: false, details: { ...this.#health.details, failure } };
  }

  /** Starts the thread and its connector; rejects with the connector's own start error (same code and message). */
  async start(): Promise<void> {
    if (this.#worker !== undefined)
      throw new SinkError(SINK_ERROR_CODES.CLOSED, 'connector thread already started');
    const worker = new Worker(workerUrl(), {
      workerData: {
        module: String(this.#factory.module),
        exportName: this.#factory.exportName,
        args: this.#factory.args,
      },
    });
    this.#worker = worker;
    const started = new Promise<void>((resolve, reject) => {
      this.#onStarted = (error) => (error === undefined ? resolve() : reject(error));
    });
    worker.on('message', (m: FromConnectorThread) => this.#onMessage(m));
    worker.on('error', (error) => this.#threadFailed(`connector thread failed: ${error.message}`, error));
    this.#exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.#hasExited = true;
        if (!this.#stopping) this.#threadFailed(`connector thread exited with code ${code}`);
        this.#onStopped?.();
        resolve();
      });
    });
    try {
      await started;
    } catch (error) {
      this.#stopping = true;
      await worker.terminate();
      throw error;
    }
  }

  /** Graceful: the connector stops (flush, commit, disconnect) in its thread, then the thread ends. */
  async stop(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined || this.#stopping || this.#hasExited) return this.#exited;
    this.#stopping = true;
    const stopped = new Promise<void>((resolve) => (this.#onStopped = resolve));
    worker.postMessage({ type: 'stop' } satisfies ToConnectorThread);
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    await stopped;
    clearTimeout(timer);
    await worker.terminate();
    await this.#exited;
  }

  #onMessage(m: FromConnectorThread): void {
    switch (m.type) {
      case 'started':
        this.#onStarted?.();
        break;
      case 'start-failed':
        this.#onStarted?.(deserializeSinkError(m.error));
        break;
      case 'state':
        this.#health = m.health;
        this.#stats = m.stats;
        break;
      case 'failure':
        this.#fail(deserializeSinkError(m.error));
        break;
      case 'stopped':
        this.#onStopped?.();
        break;
    }
  }

  #threadFailed(message: string, cause?: unknown): void {
    const error = new SinkError(SINK_ERROR_CODES.KAFKA_FAILED, message, {
      retriable: true,
      ...(cause === undefined ? {} : { cause }),
    });
    this.#onStarted?.(error);
    this.#fail(error);
  }

  #fail(error: SinkError): void {
    if (this.#failed !== undefined) return;
    this.#failed = error;
    this.#resolveFailure(error);
  }
}

/**
 * The error as it crosses threads: a `SinkError` (of any copy of the package) keeps its code and details; any other
 * error becomes TRIB_SINK_KAFKA_FAILED with its message.
 */
export function serializeSinkError(error: unknown): SerializedSinkError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    readonly [K in keyof SerializedSinkError]?: unknown;
  };
  const record = e.record as SinkErrorRecord | undefined;
  return {
    code:
      typeof e.code === 'string' && e.code.startsWith('TRIB_SINK_') ? e.code : SINK_ERROR_CODES.KAFKA_FAILED,
    message: typeof e.message === 'string' ? e.message : String(error),
    retriable: e.retriable === true,
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
    ...(typeof e.errorType === 'string' ? { errorType: e.errorType } : {}),
    ...(typeof e.option === 'string' ? { option: e.option } : {}),
    ...(typeof record === 'object' && record !== null ? { record: { ...record } } : {}),
  };
}

function deserializeSinkError(s: SerializedSinkError): SinkError {
  return new SinkError(s.code as SinkErrorCode, s.message, {
    retriable: s.retriable,
    ...(s.status === undefined ? {} : { status: s.status }),
    ...(s.errorType === undefined ? {} : { errorType: s.errorType }),
    ...(s.option === undefined ? {} : { option: s.option }),
    ...(s.record === undefined ? {} : { record: s.record }),
  });
}
