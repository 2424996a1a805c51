import { performance } from 'node:perf_hooks';
import { Client } from '@elastic/elasticsearch';
import { BatchBuffer } from './batching/batch-buffer.js';
import { Capacity } from './batching/capacity.js';
import { serializeOperation } from './bulk-lines.js';
import { postBulk, responseItems, type BulkResponseBody } from './bulk-request.js';
import { channels, type BulkEndMessage, type DeadLetterMessage, type RetryMessage } from './diagnostics.js';
import { ID_TOO_LONG, documentIdProblem } from './document-id.js';
import { SINK_ERROR_CODES, SinkError } from './errors.js';
import { compileIndexPattern } from './index-management/index-name.js';
import { IndicesAhead } from './index-management/indices-ahead.js';
import { installIndexTemplate } from './index-management/index-template.js';
import { BulkTally } from './metrics/bulk-tally.js';
import { NO_RESPONSE_STATUS } from './metrics/metric-names.js';
import { SinkMetrics } from './metrics/sink-metrics.js';
import { SINK_OPTIONS, type BulkSinkOptions, type SinkOptionValues } from './options.js';
import { classifyItem, classifyRequestError, splitInHalves, type BulkResponseItem } from './outcome.js';
import { ConcurrencyLimit } from './retry/adaptive-concurrency.js';
import { RETRY_DEADLINE_EXCEEDED, RetryPolicy } from './retry/retry-policy.js';
import { RetryScheduler } from './retry/retry-scheduler.js';
import type { Ack, DeadLetterReason, SinkItem, SinkStats, WriteOptions } from './types.js';

interface Pending<TDoc, TContext> {
  item: SinkItem<TDoc, TContext>;
  lines: string;
  bytes: number;
  externalVersion: boolean;
  firstAttemptAt: number | undefined;
  /** Retries scheduled so far (> 0: counted in `retrying` until the document completes). */
  retries: number;
  /** `status` label of the last retry (read only when metrics are on). */
  retryStatus: string;
}

/** Thrown by `#accept`'s checks: the document is dead-lettered with this `errorType` instead of `invalid_document`. */
class RejectedDocument extends Error {
  readonly errorType: string;
  constructor(errorType: string, message: string) {
    super(message);
    this.errorType = errorType;
  }
}

let nextRequestId = 0;

/**
 * Batched, bounded, per-document-accountable writer to Elasticsearch's `_bulk` API.
 *
 * `write()` resolves once the document is accepted (waiting while `maxBufferedDocs`/`maxBufferedBytes` are
 * reached: backpressure); each document later completes exactly once through `onAck` (written or duplicate) or
 * `onDeadLetter` (with the reason). `flush()` and `close()` wait until every accepted document has completed.
 */
export class BulkSink<TDoc = Record<string, unknown>, TContext = unknown> {
  readonly #options: SinkOptionValues<TDoc, TContext>;
  readonly #client: Client;
  readonly #ownsClient: boolean;
  readonly #now: () => number;
  readonly #buffer: BatchBuffer<Pending<TDoc, TContext>>;
  readonly #queue: Pending<TDoc, TContext>[][] = [];
  readonly #limit: ConcurrencyLimit;
  readonly #retries: RetryScheduler<Pending<TDoc, TContext>>;
  readonly #indexOf: (document: TDoc) => string;
  readonly #abort = new AbortController();
  readonly #createdAt: number;
  #flushTimer: NodeJS.Timeout | undefined;
  /** With `createIndicesAhead` and a date pattern: started by `ready()` or the first write. */
  readonly #indicesAhead: IndicesAhead | undefined;
  #templateReady: Promise<void> | undefined;
  #templateDone: boolean;
  readonly #capacity: Capacity;
  readonly #metrics: SinkMetrics | undefined;
  readonly #detachMetrics: () => void;
  #inFlight = 0;
  /** `send()` was called while a request was in flight: send the buffer when the sink is idle again. */
  #sendRequested = false;
  /** Documents outstanding that failed at least once (waiting for their retry, queued or in flight again). */
  #retrying = 0;
  #closed = false;
  #aborted = false;
  readonly #counters = {
    total: 0,
    successful: 0,
    retried: 0,
    failed: 0,
    duplicates: 0,
    bytes: 0,
    requests: 0,
  };

  constructor(options: BulkSinkOptions<TDoc, TContext>) {
    this.#options = SINK_OPTIONS.resolve(options) as SinkOptionValues<TDoc, TContext>;
    const o = this.#options;
    this.#now = o.clock ?? Date.now;
    this.#createdAt = this.#now();
    const index = o.index;
    this.#indexOf =
      typeof index === 'function'
        ? index
        : (compileIndexPattern(index, o.indexDateField) as (d: TDoc) => string);
    if (o.client !== undefined) {
      this.#client = o.client;
      this.#ownsClient = false;
    } else {
      this.#client = new Client({
        node: o.node as string | string[],
        ...(o.auth === undefined ? {} : { auth: o.auth }),
        ...(o.tls === undefined ? {} : { tls: o.tls }),
        ...(o.caFingerprint === undefined ? {} : { caFingerprint: o.caFingerprint }),
        compression: o.compression,
        requestTimeout: o.requestTimeoutMs,
        maxRetries: 3,
      });
      this.#ownsClient = true;
    }
    this.#capacity = new Capacity(o.maxBufferedDocs, o.maxBufferedBytes);
    this.#buffer = new BatchBuffer(
      { maxDocs: o.flushDocs, maxBytes: o.flushBytes, maxAgeMs: o.flushIntervalMs },
      this.#now,
    );
    this.#limit = new ConcurrencyLimit({
      initial: o.concurrency,
      min: o.minConcurrency,
      max: o.maxConcurrency,
      adaptive: o.adaptiveConcurrency,
      latencyFactor: o.latencyFactor,
    });
    const policy = new RetryPolicy(
      { initialDelayMs: o.retryInitialDelayMs, maxDelayMs: o.retryMaxDelayMs, deadlineMs: o.retryDeadlineMs },
      o.random,
    );
    this.#retries = new RetryScheduler(policy, o.retryDeadlineMs, this.#now);
    this.#templateDone = o.template === undefined;
    this.#metrics = o.registry === undefined ? undefined : SinkMetrics.for(o.registry);
    this.#indicesAhead =
      o.createIndicesAhead && typeof index === 'string'
        ? new IndicesAhead({
            client: this.#client,
            pattern: index,
            now: this.#now,
            beforeCreate: () => this.#ensureTemplate(),
          })
        : undefined;
    this.#detachMetrics =
      this.#metrics?.attachSink(() => ({
        inFlight: this.#inFlight,
        bufferedBytes: this.#capacity.bytes,
        buffered: this.#capacity.docs,
        retrying: this.#retrying,
      })) ?? (() => undefined);
  }

  /** The Elasticsearch client in use (the sink's own unless one was passed in). */
  get client(): Client {
    return this.#client;
  }

  /** A snapshot of the live counters. */
  get stats(): SinkStats {
    return {
      ...this.#counters,
      time: this.#now() - this.#createdAt,
      inFlight: this.#inFlight,
      buffered: this.#capacity.docs,
      bufferedBytes: this.#capacity.bytes,
      retrying: this.#retrying,
      concurrency: this.#limit.limit,
    };
  }

  /**
   * Accepts one document. Resolves once it is buffered — immediately when there is room, later when
   * `maxBufferedDocs`/`maxBufferedBytes` are reached (so a Kafka source pauses instead of memory growing).
   * Its outcome arrives later through `onAck` or `onDeadLetter`.
   */
  write(document: TDoc, options: WriteOptions<TContext> = {}): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new SinkError(
          this.#aborted ? SINK_ERROR_CODES.ABORTED : SINK_ERROR_CODES.CLOSED,
          'the sink is closed',
        ),
      );
    }
    if (this.#indicesAhead !== undefined) void this.#indicesAhead.start();
    if (this.#templateDone && this.#capacity.waiting === 0 && this.#capacity.hasRoom()) {
      this.#accept(document, options);
      return Promise.resolve();
    }
    return this.#writeSlow(document, options);
  }

  /**
   * Installs the index template now (it is otherwise installed before the first write) and, with
   * `createIndicesAhead`, starts creating the indices of now and the next period (resolving after the first pass,
   * which never fails it). Idempotent; rejects with TRIB_SINK_TEMPLATE_FAILED, and a later call or write tries again.
   */
  async ready(): Promise<void> {
    const ahead = this.#indicesAhead?.start();
    await this.#ensureTemplate();
    await ahead;
  }

  /**
   * Sends what is buffered without waiting for `flushIntervalMs`: what a source does when a burst it read has been
   * written (the Kafka connector at the end of each fetched batch). While a request is in flight the buffer keeps
   * filling and goes out when it completes — a burst on an idle sink is indexed at once, and under load requests stay
   * large instead of one per burst (Nagle's rule).
   */
  send(): void {
    if (this.#inFlight > 0 || this.#queue.length > 0) {
      this.#sendRequested = true;
      return;
    }
    this.#sendRequested = false;
    this.#dispatch(this.#buffer.drain());
    this.#clearFlushTimer();
    this.#pump();
  }

  /**
   * Sends everything buffered now and resolves when every accepted document has completed (ack or dead letter). The
   * buffer goes out as its own request beside those in flight, up to the concurrency limit: whoever flushes waits for
   * these documents, so `send()`'s Nagle rule would only add a request's duration to the wait (the low-latency
   * results path flushes once per commit, from several tasks at a time).
   */
  async flush(): Promise<void> {
    this.#sendRequested = false;
    this.#dispatch(this.#buffer.drain());
    this.#clearFlushTimer();
    this.#pump();
    await this.#capacity.waitForIdle();
  }

  /** Stops accepting documents, drains everything (nothing buffered is lost) and closes the sink's own client. */
  async close(): Promise<void> {
    if (this.#closed) {
      if (!this.#aborted) await this.flush();
      return;
    }
    this.#closed = true;
    try {
      await this.flush();
    } finally {
      await this.#indicesAhead?.stop();
      this.#detachMetrics();
      if (this.#ownsClient) await this.#client.close();
    }
  }

  /**
   * Stops at once: buffered and retrying documents are dropped WITHOUT ack or dead letter (a Kafka source will
   * see them again), in-flight requests are cancelled, waiting `write()`/`flush()` calls reject with
   * TRIB_SINK_ABORTED. Returns how many documents were dropped.
   */
  async abort(): Promise<number> {
    this.#aborted = true;
    this.#closed = true;
    const indicesAheadStopped = this.#indicesAhead?.stop();
    this.#clearFlushTimer();
    this.#retries.clear();
    this.#buffer.drain();
    this.#queue.length = 0;
    this.#retrying = 0;
    this.#abort.abort();
    const dropped = this.#capacity.clear(new SinkError(SINK_ERROR_CODES.ABORTED, 'the sink was aborted'));
    this.#detachMetrics();
    await indicesAheadStopped;
    if (this.#ownsClient) await this.#client.close();
    return dropped;
  }

  async #writeSlow(document: TDoc, options: WriteOptions<TContext>): Promise<void> {
    await this.#ensureTemplate();
    while (!this.#capacity.hasRoom() || this.#capacity.waiting > 0) {
      // Full. If nothing is on its way to Elasticsearch, send the partial batch now (no completion would come
      // otherwise until its age is reached); else keep filling it so requests stay full-sized.
      this.#sendPartialIfIdle();
      await this.#capacity.waitForRoom();
      if (this.#capacity.hasRoom()) break;
    }
    if (this.#closed)
      throw new SinkError(
        this.#aborted ? SINK_ERROR_CODES.ABORTED : SINK_ERROR_CODES.CLOSED,
        'the sink is closed',
      );
    this.#accept(document, options);
  }

  /** Sends a partial batch when nothing else is on its way to Elasticsearch and a writer waits for room. */
  #sendPartialIfIdle(): void {
    if (this.#inFlight === 0 && this.#queue.length === 0 && this.#retries.waiting === 0) {
      this.#dispatch(this.#buffer.drain());
      this.#pump();
    }
  }

  #ensureTemplate(): Promise<void> {
    if (this.#templateDone || this.#options.template === undefined) return Promise.resolve();
    this.#templateReady ??= installIndexTemplate(this.#client, this.#options.template).then(
      () => {
        this.#templateDone = true;
      },
      (error: unknown) => {
        this.#templateReady = undefined;
        throw error;
      },
    );
    return this.#templateReady;
  }

  #accept(document: TDoc, options: WriteOptions<TContext>): void {
    const o = this.#options;
    const action = options.action ?? o.action;
    // Elasticsearch accepts external versions on index and delete only; create/update ignore them.
    const version =
      action === 'index' || action === 'delete' ? (options.version ?? o.versionKey?.(document)) : undefined;
    const item: SinkItem<TDoc, TContext> = {
      document,
      id: options.id ?? o.idKey?.(document),
      index: options.index ?? '',
      action,
      version,
      context: options.context,
      attempts: 0,
    };
    this.#counters.total++;
    let lines: string;
    try {
      if (options.index === undefined) item.index = this.#indexOf(document);
      if (version !== undefined && (!Number.isSafeInteger(version) || version < 0)) {
        throw new TypeError(`version must be a non-negative safe integer (got ${String(version)})`);
      }
      if ((action === 'update' || action === 'delete') && item.id === undefined) {
        throw new TypeError(`action ${action} needs a document id (id option or idKey)`);
      }
      const idProblem = documentIdProblem(item.id);
      if (idProblem !== undefined) throw new RejectedDocument(ID_TOO_LONG, idProblem);
      lines = serializeOperation(
        {
          action,
          index: item.index,
          id: item.id,
          version,
          versionType: o.versionType,
          routing: options.routing,
        },
        document,
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#capacity.take(0);
      this.#deadLetter(
        {
          item,
          lines: '',
          bytes: 0,
          externalVersion: false,
          firstAttemptAt: undefined,
          retries: 0,
          retryStatus: '',
        },
        {
          errorType: error instanceof RejectedDocument ? error.errorType : 'invalid_document',
          reason,
          status: undefined,
        },
        undefined,
      );
      return;
    }
    const bytes = Buffer.byteLength(lines);
    this.#capacity.take(bytes);
    const pending: Pending<TDoc, TContext> = {
      item,
      lines,
      bytes,
      externalVersion: version !== undefined,
      firstAttemptAt: undefined,
      retries: 0,
      retryStatus: '',
    };
    for (const batch of this.#buffer.add(pending, bytes)) this.#dispatch(batch);
    this.#scheduleFlushTimer();
    this.#pump();
  }

  #dispatch(batch: { items: Pending<TDoc, TContext>[] } | undefined): void {
    if (batch !== undefined && batch.items.length > 0) this.#queue.push(batch.items);
  }

  #scheduleFlushTimer(): void {
    const wait = this.#buffer.msUntilDue();
    if (wait === undefined) {
      this.#clearFlushTimer();
      return;
    }
    if (this.#flushTimer !== undefined) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#dispatch(this.#buffer.takeDue());
      this.#scheduleFlushTimer();
      this.#pump();
    }, wait);
  }

  #clearFlushTimer(): void {
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
  }

  #pump(): void {
    while (!this.#aborted && this.#queue.length > 0 && this.#inFlight < this.#limit.limit) {
      const batch = this.#queue.shift() as Pending<TDoc, TContext>[];
      void this.#send(batch);
    }
  }

  async #send(batch: Pending<TDoc, TContext>[]): Promise<void> {
    const requestId = ++nextRequestId;
    const now = this.#now();
    let bytes = 0;
    for (const p of batch) {
      p.item.attempts++;
      p.firstAttemptAt ??= now;
      bytes += p.bytes;
    }
    this.#inFlight++;
    this.#counters.requests++;
    this.#counters.bytes += bytes;
    if (channels.bulkStart.hasSubscribers)
      channels.bulkStart.publish({ requestId, docs: batch.length, bytes, inFlight: this.#inFlight });
    const end: BulkEndMessage = {
      requestId,
      docs: batch.length,
      bytes,
      durationMs: 0,
      tookMs: undefined,
      status: undefined,
      succeeded: 0,
      duplicates: 0,
      retried: 0,
      deadLettered: 0,
      error: undefined,
    };
    const tally = this.#metrics === undefined ? undefined : new BulkTally();
    const started = performance.now();
    try {
      let body: BulkResponseBody;
      try {
        body = await postBulk(this.#client, batch.map((p) => p.lines).join(''), {
          refresh: this.#options.refresh,
          pipeline: this.#options.pipeline,
          timeoutMs: this.#options.requestTimeoutMs,
          signal: this.#abort.signal,
        });
      } catch (error) {
        end.durationMs = performance.now() - started;
        this.#onRequestError(error, batch, end, tally);
        return;
      }
      end.durationMs = performance.now() - started;
      end.status = 200;
      end.tookMs = body.took;
      if (this.#aborted) return;
      this.#onResponse(body, batch, end, tally);
    } finally {
      this.#inFlight--;
      if (tally !== undefined && !this.#aborted && end.error !== 'aborted')
        this.#metrics?.recordBulk(end, tally);
      if (channels.bulkEnd.hasSubscribers) channels.bulkEnd.publish(end);
      this.#pump();
      if (this.#sendRequested && this.#inFlight === 0 && this.#queue.length === 0) this.send();
      if (this.#capacity.waiting > 0) this.#sendPartialIfIdle();
    }
  }

  #onResponse(
    body: BulkResponseBody,
    batch: Pending<TDoc, TContext>[],
    end: BulkEndMessage,
    tally: BulkTally | undefined,
  ): void {
    const items = responseItems(
      body,
      batch.map((p) => p.item.action),
    );
    if (items === undefined) {
      end.error = `bulk response has ${body.items?.length ?? 0} items for ${batch.length} operations`;
      this.#retryLater(batch, 'request', end.error, end, tally, 'invalid_response');
      return;
    }
    const retries: Pending<TDoc, TContext>[] = [];
    let overloaded = false;
    let retryReason = '';
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending<TDoc, TContext>;
      const outcome = classifyItem(items[i] as BulkResponseItem, {
        action: p.item.action,
        externalVersion: p.externalVersion,
      });
      switch (outcome.kind) {
        case 'success':
          end.succeeded++;
          this.#counters.successful++;
          this.#ack(p, { kind: 'written', status: outcome.status, result: outcome.result });
          break;
        case 'duplicate':
          end.duplicates++;
          this.#counters.duplicates++;
          this.#ack(p, { kind: 'duplicate', status: outcome.status, result: undefined });
          break;
        case 'retry':
          if (outcome.status === 429 || outcome.errorType === 'es_rejected_execution_exception') {
            overloaded = true;
            if (tally !== undefined) tally.rejections++;
          }
          if (tally !== undefined) p.retryStatus = String(outcome.status);
          retryReason = `${outcome.status} ${outcome.errorType}: ${outcome.reason}`;
          retries.push(p);
          break;
        default:
          end.deadLettered++;
          this.#deadLetter(
            p,
            { errorType: outcome.errorType, reason: outcome.reason, status: outcome.status },
            tally,
          );
      }
    }
    if (overloaded) this.#limit.onOverload();
    else this.#limit.onSuccess(end.durationMs);
    if (retries.length > 0) this.#retryLater(retries, 'items', retryReason, end, tally, undefined);
  }

  #onRequestError(
    error: unknown,
    batch: Pending<TDoc, TContext>[],
    end: BulkEndMessage,
    tally: BulkTally | undefined,
  ): void {
    const outcome = classifyRequestError(error);
    if (outcome.kind === 'aborted' || this.#aborted) {
      end.error = 'aborted';
      return;
    }
    end.status = outcome.status;
    end.error = outcome.reason;
    if (outcome.kind === 'split') {
      const halves = splitInHalves(batch);
      if (halves === undefined) {
        end.deadLettered = batch.length;
        for (const p of batch)
          this.#deadLetter(
            p,
            {
              errorType: 'request_entity_too_large',
              reason: 'document larger than http.max_content_length (413)',
              status: 413,
            },
            tally,
          );
        return;
      }
      this.#queue.unshift(halves[0], halves[1]);
      return;
    }
    if (outcome.kind === 'retry') {
      if (outcome.status === 429) {
        this.#limit.onOverload();
        if (tally !== undefined) tally.rejections += batch.length;
      }
      const status = outcome.status === undefined ? NO_RESPONSE_STATUS : String(outcome.status);
      this.#retryLater(batch, 'request', outcome.reason, end, tally, status);
      return;
    }
    end.deadLettered = batch.length;
    for (const p of batch)
      this.#deadLetter(
        p,
        { errorType: outcome.errorType, reason: outcome.reason, status: outcome.status },
        tally,
      );
  }

  #retryLater(
    batch: Pending<TDoc, TContext>[],
    scope: 'request' | 'items',
    reason: string,
    end: BulkEndMessage,
    tally: BulkTally | undefined,
    /** The `status` label of every document, or undefined to read each document's `retryStatus`. */
    status: string | undefined,
  ): void {
    const { expired, kept, attempt, delayMs } = this.#retries.schedule(batch, (group) => {
      this.#queue.push(group);
      this.#pump();
    });
    for (const p of expired) {
      end.deadLettered++;
      this.#deadLetter(
        p,
        {
          errorType: 'retry_deadline_exceeded',
          reason: `${RETRY_DEADLINE_EXCEEDED} (last error: ${reason})`,
          status: undefined,
        },
        tally,
      );
    }
    if (kept.length === 0) return;
    for (const p of kept) if (p.retries === 1) this.#retrying++;
    if (tally !== undefined) {
      if (status !== undefined) tally.retry(status, kept.length);
      else for (const p of kept) tally.retry(p.retryStatus);
    }
    end.retried += kept.length;
    this.#counters.retried += kept.length;
    if (channels.retry.hasSubscribers) {
      const message: RetryMessage = { scope, docs: kept.length, attempt, delayMs, reason };
      channels.retry.publish(message);
    }
  }

  #ack(p: Pending<TDoc, TContext>, ack: Ack): void {
    try {
      this.#options.onAck?.(p.item, ack);
    } catch (error) {
      process.emitWarning(`onAck threw: ${(error as Error).message}`, { code: 'TRIB_SINK_CALLBACK_FAILED' });
    }
    this.#complete(p);
  }

  /** Gives a document up. `tally`: the request it was part of (undefined: before sending, counted at once). */
  #deadLetter(p: Pending<TDoc, TContext>, reason: DeadLetterReason, tally: BulkTally | undefined): void {
    this.#counters.failed++;
    if (tally !== undefined) tally.deadLetter(reason.errorType);
    else this.#metrics?.recordDeadLetter(reason.errorType);
    if (channels.deadLetter.hasSubscribers) {
      const message: DeadLetterMessage = {
        id: p.item.id,
        index: p.item.index,
        status: reason.status,
        errorType: reason.errorType,
        reason: reason.reason,
      };
      channels.deadLetter.publish(message);
    }
    let pending: void | Promise<void> = undefined;
    try {
      pending = this.#options.onDeadLetter?.(p.item, reason);
    } catch (error) {
      process.emitWarning(`onDeadLetter threw: ${(error as Error).message}`, {
        code: 'TRIB_SINK_CALLBACK_FAILED',
      });
    }
    if (pending !== undefined && typeof (pending as Promise<void>).then === 'function') {
      (pending as Promise<void>).then(
        () => this.#complete(p),
        (error: unknown) => {
          process.emitWarning(`onDeadLetter rejected: ${(error as Error).message}`, {
            code: 'TRIB_SINK_CALLBACK_FAILED',
          });
          this.#complete(p);
        },
      );
      return;
    }
    this.#complete(p);
  }

  #complete(p: Pending<TDoc, TContext>): void {
    if (this.#aborted) return;
    if (p.retries > 0) this.#retrying--;
    this.#capacity.release(p.bytes);
  }
}
