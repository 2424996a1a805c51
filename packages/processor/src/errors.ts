/** Stable error codes of @tributary/processor. Match on `code`, never on `instanceof` or message text. */
export const PROCESSOR_ERROR_CODES = {
  /** A bad option, thrown once at construction; `option` names it. */
  INVALID_OPTION: 'TRIB_PROC_INVALID_OPTION',
  /** A changelog entry that cannot be decoded during `restore`. */
  STATE_CORRUPT: 'TRIB_PROC_STATE_CORRUPT',
  /** A repartition record (partial or watermark) that cannot be decoded or has an unknown format version. */
  REPARTITION_RECORD_INVALID: 'TRIB_PROC_REPARTITION_RECORD_INVALID',
  /** Runtime: the input topic of a stage does not exist. */
  INPUT_TOPIC_MISSING: 'TRIB_PROC_INPUT_TOPIC_MISSING',
  /** Runtime: a task produced a record for a logical output that is not mapped to a topic. */
  UNKNOWN_OUTPUT: 'TRIB_PROC_UNKNOWN_OUTPUT',
  /** Runtime: a Kafka transaction (outputs + changelog + offsets) failed and was aborted. */
  COMMIT_FAILED: 'TRIB_PROC_COMMIT_FAILED',
  /** Runtime: restoring a task from its changelog topics failed. */
  RESTORE_FAILED: 'TRIB_PROC_RESTORE_FAILED',
  /** Runtime: loading or following a reference-data (enrichment) topic failed. */
  TABLE_LOAD_FAILED: 'TRIB_PROC_TABLE_LOAD_FAILED',
  /**
   * An output record larger than its topic's max.message.bytes: replaced by a truncated dead letter with this code
   * (or, with no dead-letter output, the commit fails naming the record's topic and size).
   */
  RECORD_TOO_LARGE: 'TRIB_PROC_RECORD_TOO_LARGE',
  /** A valid event refused: a new key in a window that already holds `maxKeysPerWindow` keys (dead-lettered). */
  WINDOW_KEY_LIMIT: 'TRIB_PROC_WINDOW_KEY_LIMIT',
  /**
   * A record a stream DSL step could not take (dead-lettered): a filter, map, enrich or id function threw, or an event
   * time, key or id came out of the wrong type. The reason names the step.
   */
  TRANSFORM_FAILED: 'TRIB_PROC_TRANSFORM_FAILED',
  /** A valid event refused: a new session in a partition already holding `maxOpenSessions` (dead-lettered). */
  SESSION_LIMIT: 'TRIB_PROC_SESSION_LIMIT',
  /** A joined event refused: the join task already buffers `maxBufferedRecords` events (dead-lettered). */
  JOIN_BUFFER_LIMIT: 'TRIB_PROC_JOIN_BUFFER_LIMIT',
  /**
   * Runtime: a topic no longer matches the job's state — a repartition or changelog topic whose partition count
   * changed, a recreated input topic, committed offsets behind the restored progress. The message names the topic
   * and the way out (restore the topic, or reset the application).
   */
  TOPIC_MISMATCH: 'TRIB_PROC_TOPIC_MISMATCH',
  /** Runtime: a Kafka offset of 2^53 or more, which the processor cannot hold exactly (offsets are numbers). */
  OFFSET_OUT_OF_RANGE: 'TRIB_PROC_OFFSET_OUT_OF_RANGE',
  /** Runtime: creating or describing topics failed. */
  TOPIC_ADMIN_FAILED: 'TRIB_PROC_TOPIC_ADMIN_FAILED',
  /** Runtime: a stage kept failing after its restart budget was used up; the job stops. */
  STAGE_FAILED: 'TRIB_PROC_STAGE_FAILED',
  /** Runtime: a call the job's current state does not allow (e.g. `start()` twice). */
  INVALID_STATE: 'TRIB_PROC_INVALID_STATE',
  /** Test driver: a topic, output or state store the job under test does not have. */
  UNKNOWN_TOPIC: 'TRIB_PROC_UNKNOWN_TOPIC',
  /** Config: the configuration file cannot be read or parsed. */
  CONFIG_FILE_INVALID: 'TRIB_PROC_CONFIG_FILE_INVALID',
} as const;

export type ProcessorErrorCode = (typeof PROCESSOR_ERROR_CODES)[keyof typeof PROCESSOR_ERROR_CODES];

export interface ProcessorErrorDetails {
  /** Whether repeating the same operation later can succeed. */
  retriable?: boolean;
  cause?: unknown;
  /** The option at fault, for `TRIB_PROC_INVALID_OPTION`. */
  option?: string;
}

/** Base error of the package: a stable `code`, a `retriable` flag and the original error as `cause`. */
export class ProcessorError extends Error {
  readonly code: ProcessorErrorCode;
  readonly retriable: boolean;
  readonly option: string | undefined;

  constructor(code: ProcessorErrorCode, message: string, details: ProcessorErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ProcessorError';
    this.code = code;
    this.retriable = details.retriable ?? false;
    this.option = details.option;
  }
}

/** A bad option: thrown once, at construction, naming the option and the constraint. */
export function invalidOption(option: string, constraint: string): ProcessorError {
  return new ProcessorError(PROCESSOR_ERROR_CODES.INVALID_OPTION, `${option} ${constraint}`, { option });
}

/** True when `error` carries a `TRIB_PROC_…` code (optionally a given one); works across package copies. */
export function isProcessorError(error: unknown, code?: ProcessorErrorCode): error is ProcessorError {
  if (typeof error !== 'object' || error === null) return false;
  const c = (error as { code?: unknown }).code;
  return typeof c === 'string' && c.startsWith('TRIB_PROC_') && (code === undefined || c === code);
}
