import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  SINK_ERROR_CODES,
  SinkError,
  invalidOption,
  type SinkErrorCode,
  type SinkErrorRecord,
} from '../errors.js';
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
  /** A file URL (`new URL('./my-connector.js', import.meta.url)`) or an absolute path. */
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
  | { readonly type: 'stopped'; readonly error?: SerializedSinkError | undefined };

/** Messages of the owner to the connector's thread. */
export type ToConnectorThread = { readonly type: 'stop' };

/** How often the thread reports its connector's health and stats. */
export const CONNECTOR_STATE_INTERVAL_MS = 200;
/** Time the thread gets to stop its connector (flush, commit, disconnect) before it is terminated. */
const STOP_TIMEOUT_MS = 60_000;
/** Time the thread gets to end by itself once its connector stopped, before it is terminated. */
const EXIT_TIMEOUT_MS = 5_000;

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
  /** What the thread builds its connector from (the module as a file URL). */
  readonly #workerData: {
    readonly module: string;
    readonly exportName: string;
    readonly args: readonly unknown[];
  };
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
  /** Settles `start()`: once, with the connector started or the reason it did not. */
  #settleStart: ((error?: SinkError) => void) | undefined;
  #stopped: Promise<void> | undefined;
  /** The connector's own stop error, as the thread reported it. */
  #stopError: SinkError | undefined;
  #onStoppedMessage: (() => void) | undefined;

  /** `deadLetterTopic`: the connector's, known here before the thread runs (see `KafkaEsConnector`). */
  constructor(factory: ConnectorFactoryRef, deadLetterTopic: string | false) {
    this.#workerData = {
      module: moduleUrl(factory.module),
      exportName: factory.exportName,
      args: factory.args,
    };
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

  /**
   * Starts the thread and its connector; rejects with the connector's own start error (its code and message; another
   * error of the factory becomes TRIB_SINK_KAFKA_FAILED), or when the thread ends first.
   */
  async start(): Promise<void> {
    if (this.#worker !== undefined)
      throw new SinkError(SINK_ERROR_CODES.CLOSED, 'connector thread already started');
    const worker = new Worker(workerUrl(), { workerData: this.#workerData });
    this.#worker = worker;
    const started = new Promise<void>((resolve, reject) => {
      this.#settleStart = (error) => {
        this.#settleStart = undefined;
        if (error === undefined) resolve();
        else reject(error);
      };
    });
    worker.on('message', (m: FromConnectorThread) => this.#onMessage(m));
    worker.on('error', (error) => this.#threadFailed(`connector thread failed: ${error.message}`, error));
    this.#exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.#hasExited = true;
        this.#threadFailed(`connector thread exited with code ${code}`);
        this.#onStoppedMessage?.();
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

  /**
   * Graceful: the connector stops in its thread (flush, commit, disconnect; also right after a start in progress),
   * then the thread ends. Rejects with the connector's own stop error, as `KafkaEsConnector.stop()` would.
   */
  stop(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return Promise.resolve(); // nothing started: a later start() is stopped by a later stop()
    this.#stopped ??= this.#stop(worker);
    return this.#stopped;
  }

  async #stop(worker: Worker): Promise<void> {
    this.#stopping = true;
    if (!this.#hasExited) {
      const stoppedMessage = new Promise<void>((resolve) => (this.#onStoppedMessage = resolve));
      worker.postMessage({ type: 'stop' } satisfies ToConnectorThread);
      const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
      await stoppedMessage;
      clearTimeout(timer);
      // The thread ends by itself once its connector let go of everything (its last log lines written).
      const exitTimer = setTimeout(() => void worker.terminate(), EXIT_TIMEOUT_MS);
      await this.#exited;
      clearTimeout(exitTimer);
    } else await this.#exited;
    if (this.#stopError !== undefined) throw this.#stopError;
  }

  #onMessage(m: FromConnectorThread): void {
    switch (m.type) {
      case 'started':
        this.#settleStart?.();
        break;
      case 'start-failed':
        this.#settleStart?.(deserializeSinkError(m.error));
        break;
      case 'state':
        this.#health = m.health;
        this.#stats = m.stats;
        break;
      case 'failure':
        this.#fail(deserializeSinkError(m.error));
        break;
      case 'stopped':
        if (m.error !== undefined) this.#stopError = deserializeSinkError(m.error);
        this.#onStoppedMessage?.();
        break;
    }
  }

  /** The thread died or ended: a start in progress fails (for good); a running connector fails unless stopping. */
  #threadFailed(message: string, cause?: unknown): void {
    if (this.#settleStart !== undefined) {
      this.#settleStart(
        new SinkError(SINK_ERROR_CODES.KAFKA_FAILED, `${message} before its connector started`, {
          ...(cause === undefined ? {} : { cause }),
        }),
      );
      return;
    }
    if (this.#stopping) return;
    this.#fail(
      new SinkError(SINK_ERROR_CODES.KAFKA_FAILED, message, {
        retriable: true,
        ...(cause === undefined ? {} : { cause }),
      }),
    );
  }

  #fail(error: SinkError): void {
    if (this.#failed !== undefined) return;
    this.#failed = error;
    this.#resolveFailure(error);
  }
}

/** The factory module as the thread imports it: a file URL, whatever the thread's own location. */
function moduleUrl(module: URL | string): string {
  if (module instanceof URL) return module.href;
  if (isAbsolute(module)) return pathToFileURL(module).href;
  if (module.startsWith('file:')) return module;
  throw invalidOption('module', `must be a file URL or an absolute path (got ${JSON.stringify(module)})`);
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
