import type { Message } from '@tributary/kafka';

/** Header names of dead-letter records. */
export const DEAD_LETTER_HEADERS = {
  errorType: 'tributary.error.type',
  reason: 'tributary.error.reason',
  status: 'tributary.error.status',
  sourceTopic: 'tributary.source.topic',
  sourcePartition: 'tributary.source.partition',
  sourceOffset: 'tributary.source.offset',
} as const;

export interface DeadLetterInput {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, unknown> | undefined;
  errorType: string;
  reason: string;
  status: number | undefined;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: number;
}

/** The record written to the dead-letter topic: the original key, value and headers, plus the reason headers. */
export function deadLetterMessage(input: DeadLetterInput): Message {
  const headers: Record<string, string | Buffer> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (typeof value === 'string' || Buffer.isBuffer(value)) headers[name] = value;
  }
  headers[DEAD_LETTER_HEADERS.errorType] = input.errorType;
  headers[DEAD_LETTER_HEADERS.reason] = input.reason.slice(0, 4096);
  if (input.status !== undefined) headers[DEAD_LETTER_HEADERS.status] = String(input.status);
  headers[DEAD_LETTER_HEADERS.sourceTopic] = input.sourceTopic;
  headers[DEAD_LETTER_HEADERS.sourcePartition] = String(input.sourcePartition);
  headers[DEAD_LETTER_HEADERS.sourceOffset] = String(input.sourceOffset);
  return { key: input.key, value: input.value, headers };
}
