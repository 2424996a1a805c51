import type { Producer } from '@tributary/kafka';
import { SINK_ERROR_CODES, SinkError, isSinkError } from '../errors.js';
import { SINK_SETTING_SPECS } from '../options.js';
import { NO_RETRY_DEADLINE, RetryPolicy } from '../retry/retry-policy.js';
import type { DeadLetterReason } from '../types.js';
import type { ConnectorLogger, ConnectorOptionValues, RecordContext } from './connector-options.js';
import { deadLetterMessage } from './dead-letter-record.js';
import { DeadLetterWriter } from './dead-letter-writer.js';
import type { OffsetToken } from './offset-tracker.js';

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface FailedRecordsOptions {
  /** Source topic, named in dead-letter headers and errors. */
  topic: string;
  /** Where records that cannot be indexed go; false = none (the connector fails instead). */
  deadLetterTopic: string | false;
  /** The connector's producer (undefined without a dead-letter topic). */
  producer: Producer | undefined;
  /** Backoff of failed dead-letter sends (never a deadline). */
  retry: { initialDelayMs: number; maxDelayMs: number; random: (() => number) | undefined };
  /** Acknowledges a record once its dead letter is written. */
  acknowledge: (token: OffsetToken) => void;
  /** Fails the connector: the record is not acknowledged. */
  fail: (error: SinkError) => void;
  logger: ConnectorLogger | undefined;
}

/** The options of {@link FailedRecords} a connector derives from its own. */
export function failedRecordsRetry(o: ConnectorOptionValues): FailedRecordsOptions['retry'] {
  return {
    initialDelayMs: SINK_SETTING_SPECS.retryInitialDelayMs.schema.parse(o.sink.retryInitialDelayMs),
    maxDelayMs: SINK_SETTING_SPECS.retryMaxDelayMs.schema.parse(o.sink.retryMaxDelayMs),
    random: o.sink.random,
  };
}

/**
 * What a connector does with a record it must give up (undecodable, refused by Elasticsearch for good, `_id` too
 * long, past an opt-in retry deadline). With a dead-letter topic: the record goes there with its reason headers,
 * retried with backoff while Kafka refuses it, and is acknowledged only once written. Without one
 * (`deadLetterTopic: false`, Kafka Connect's `errors.tolerance=none`): the connector fails with
 * TRIB_SINK_RECORD_FAILED naming the record, which is never acknowledged.
 */
export class FailedRecords {
  readonly #o: FailedRecordsOptions;
  readonly #writer: DeadLetterWriter | undefined;
  #written = 0;

  constructor(options: FailedRecordsOptions) {
    this.#o = options;
    const { producer, deadLetterTopic: dlq } = options;
    this.#writer =
      producer === undefined || dlq === false
        ? undefined
        : new DeadLetterWriter({
            send: async (messages) => {
              await producer.send({ topic: dlq, messages });
            },
            policy: new RetryPolicy(
              {
                initialDelayMs: options.retry.initialDelayMs,
                maxDelayMs: options.retry.maxDelayMs,
                deadlineMs: NO_RETRY_DEADLINE,
              },
              options.retry.random,
            ),
            onRetry: (error, attempt, delayMs, waiting) =>
              options.logger?.(
                'warn',
                `dead-letter send to ${dlq} failed; retrying in ${delayMs} ms, the records stay unacknowledged: ${describeError(error)}`,
                { attempt, waiting },
              ),
          });
  }

  /** Records written to the dead-letter topic. */
  get written(): number {
    return this.#written;
  }

  /** Records whose dead letter is not written yet. */
  get waiting(): number {
    return this.#writer?.waiting ?? 0;
  }

  /** Resolves when no dead letter is waiting. */
  idle(): Promise<void> {
    return this.#writer?.idle() ?? Promise.resolve();
  }

  /** Stops retrying: dead letters not written stay unacknowledged (their records come again after a restart). */
  close(): void {
    this.#writer?.close();
  }

  /** Gives the record of `context` up for `reason`. Resolves when handled (written, or the connector failed). */
  async giveUp(context: RecordContext, reason: DeadLetterReason): Promise<void> {
    const { token } = context;
    const { topic, deadLetterTopic: dlq } = this.#o;
    const record = { topic, partition: token.partition, offset: token.offset };
    const where = `${topic}-${token.partition}@${token.offset}`;
    const why = `${reason.errorType}${reason.status === undefined ? '' : ` (${reason.status})`}: ${reason.reason}`;
    if (this.#writer === undefined || dlq === false) {
      this.#o.fail(
        new SinkError(
          SINK_ERROR_CODES.RECORD_FAILED,
          `record ${where} cannot be indexed (${why}) and the connector has no dead-letter topic: it stops without acknowledging the record, so offsets stay below it — fix the record, the index mapping or configure deadLetterTopic, then restart`,
          {
            record,
            errorType: reason.errorType,
            ...(reason.status === undefined ? {} : { status: reason.status }),
          },
        ),
      );
      return;
    }
    try {
      await this.#writer.write(
        deadLetterMessage({
          key: context.key,
          value: context.value,
          headers: context.headers,
          errorType: reason.errorType,
          reason: reason.reason,
          status: reason.status,
          sourceTopic: topic,
          sourcePartition: token.partition,
          sourceOffset: token.offset,
        }),
      );
    } catch (error) {
      if (isSinkError(error) && error.retriable) {
        this.#o.logger?.('warn', `dead letter of ${where} not written before stop; it stays unacknowledged`);
        return;
      }
      this.#o.fail(
        new SinkError(
          SINK_ERROR_CODES.DEAD_LETTER_FAILED,
          `cannot write the dead letter of record ${where} (${why}) to ${dlq}: ${describeError(error)} — the record is not acknowledged; check the dead-letter topic (size limits, ACLs) and restart`,
          { cause: error, record, errorType: reason.errorType },
        ),
      );
      return;
    }
    this.#written++;
    this.#o.logger?.('debug', 'dead letter written', {
      partition: token.partition,
      offset: token.offset,
      deadLetterTopic: dlq,
      errorType: reason.errorType,
      reason: reason.reason,
    });
    this.#o.acknowledge(token);
  }
}
