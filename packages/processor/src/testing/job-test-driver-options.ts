import { option, z, type OptionInput } from '@tributary/options';
import { processorOptions, topicName } from '../config/option-schemas.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../kafka/topic-admin.js';

/** The driver's own options (the job's are `createStreamJob`'s), declared once. */
export const JOB_TEST_DRIVER_OPTION_SPECS = {
  /**
   * Partitions of topics that exist before the job starts: its input topics and table topics (1 when not named
   * here), or an output topic made in advance. Topics the job creates itself (outputs, repartition, changelogs) get
   * the runtime's counts (`topicPartitions`, `repartitionPartitions`, 0 = as the stage's input).
   */
  partitions: option(
    z.record(topicName, z.int().min(1).max(10_000)).default({}),
    'partitions of topics that exist before the job starts (others: 1)',
  ),
  /** @defaultValue 0 — the processing time (ms since epoch) the driver's clock starts at. */
  startTimeMs: option(z.int().min(0).default(0), 'processing time the clock starts at'),
  /** @defaultValue 1 048 588 (the broker default) — `max.message.bytes` of every topic. */
  maxMessageBytes: option(
    z.int().min(1_024).max(1_073_741_824).default(DEFAULT_MAX_MESSAGE_BYTES),
    'max.message.bytes of every topic',
  ),
};

export type JobTestDriverOptions = OptionInput<typeof JOB_TEST_DRIVER_OPTION_SPECS>;

/** Validates the driver's options once; a bad one throws `TRIB_PROC_INVALID_OPTION` naming it. */
export const JOB_TEST_DRIVER_OPTIONS = processorOptions('JobTestDriver', JOB_TEST_DRIVER_OPTION_SPECS);
