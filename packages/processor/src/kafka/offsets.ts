import { recordOffsetNumber, recordTimestampNumber, type KafkaMessage } from '@tributary/kafka';
import { PROCESSOR_ERROR_CODES, ProcessorError } from '../errors.js';

/**
 * Inside the processor a Kafka offset is a number — in `InputRecord`, the tasks' progress, dedup, the task slot and
 * the committers — exact up to 2^53 − 1 (a million records a second on one partition for 285 years). kafkajs reads
 * and writes offsets as decimal strings: they are converted here, where they cross, and an offset a number cannot
 * hold exactly fails with `TRIB_PROC_OFFSET_OUT_OF_RANGE` instead of being rounded.
 */
export function offsetFromKafka(offset: string): number {
  const n = Number(offset);
  if (!Number.isSafeInteger(n) || offset.trim() === '') {
    throw new ProcessorError(
      PROCESSOR_ERROR_CODES.OFFSET_OUT_OF_RANGE,
      `Kafka offset ${JSON.stringify(offset)} is not an integer of at most 2^53 - 1, the largest the processor holds exactly`,
    );
  }
  return n;
}

/** A fetched record's offset: the number the fetch decoder kept on it, else its string converted as above. */
export function messageOffset(message: KafkaMessage): number {
  return recordOffsetNumber(message) ?? offsetFromKafka(message.offset);
}

/** A fetched record's timestamp in epoch milliseconds: the decoder's number, else kafkajs' string parsed. */
export function messageTimestamp(message: KafkaMessage): number {
  return recordTimestampNumber(message) ?? Number(message.timestamp);
}

/** The decimal string kafkajs takes. */
export function offsetToKafka(offset: number): string {
  return String(offset);
}
