import {
  BulkSink,
  DEAD_LETTER_HEADERS,
  windowResultMapper,
  type BulkSinkOptions,
  type DeadLetterReason,
} from '@tributary/es-sink';
import type { OutputSink } from '../task/output-sink.js';
import type { OutputRecord } from '../task/partition-task.js';

/** A window result on its way into Elasticsearch, and where its refusal goes. */
interface Pending {
  readonly record: OutputRecord;
  readonly refused: OutputRecord[];
}

/**
 * The low-latency path of window results: the merge stage indexes the results of each commit itself and waits for
 * Elasticsearch's acknowledgement before the commit's offsets (at-least-once), with the same document ids and
 * external versions as the connector — a replay writes the same version and content, never a regression. A result
 * Elasticsearch refuses for good comes back as a record for `deadLetterOutput`, with the connector's reason headers.
 */
export class DirectResultsIndex implements OutputSink {
  readonly sink: BulkSink<Record<string, unknown>, Pending>;
  readonly #map = windowResultMapper();
  readonly #deadLetterOutput: string;

  constructor(
    sinkOptions: Omit<BulkSinkOptions<Record<string, unknown>, Pending>, 'onAck' | 'onDeadLetter'>,
    deadLetterOutput: string,
  ) {
    this.#deadLetterOutput = deadLetterOutput;
    this.sink = new BulkSink<Record<string, unknown>, Pending>({
      ...sinkOptions,
      // A commit's results are one burst: sent at once (write then flush), never held for a timer.
      onDeadLetter: (item, reason) => {
        if (item.context !== undefined)
          item.context.refused.push(this.#deadLetter(item.context.record, reason));
      },
    });
  }

  async write(records: readonly OutputRecord[]): Promise<readonly OutputRecord[]> {
    const refused: OutputRecord[] = [];
    for (const record of records) {
      const mapped = this.#map({ key: record.key, value: record.value, offset: '-1', partition: -1 });
      await this.sink.write(mapped.document, {
        ...(mapped.id === undefined ? {} : { id: mapped.id }),
        ...(mapped.version === undefined ? {} : { version: mapped.version }),
        context: { record, refused },
      });
    }
    // Every accepted document completes (acknowledged, or refused into `refused`) before the offsets are committed.
    await this.sink.flush();
    return refused;
  }

  close(): Promise<void> {
    return this.sink.close();
  }

  #deadLetter(record: OutputRecord, reason: DeadLetterReason): OutputRecord {
    return {
      output: this.#deadLetterOutput,
      key: record.key,
      value: record.value,
      headers: {
        [DEAD_LETTER_HEADERS.errorType]: reason.errorType,
        [DEAD_LETTER_HEADERS.reason]: reason.reason.slice(0, 4096),
        ...(reason.status === undefined ? {} : { [DEAD_LETTER_HEADERS.status]: String(reason.status) }),
      },
      destination: { kind: 'by-key' },
    };
  }
}
