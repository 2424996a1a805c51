import type { Message, TopicMessages } from '@tributary/kafka';

/**
 * Most key + value bytes per topic in one call (a single larger message goes alone). kafkajs writes one call's
 * messages for a partition as one record batch, which the broker rejects above `max.message.bytes` (~1 MB by
 * default).
 */
export const MAX_BYTES_PER_SEND = 512 * 1024;

/** A record batch's header and some margin, kept free below a topic's max.message.bytes. */
const BATCH_FRAMING_BYTES = 512;

/** Rough per-record framing (offset/timestamp deltas, lengths, attributes) added to key + value + headers. */
const RECORD_OVERHEAD_BYTES = 32;

export interface SendChunkLimits {
  /** @defaultValue 524288 */
  readonly maxBytes?: number;
  /**
   * `max.message.bytes` per topic: a topic's calls stay below it (minus the batch framing) when it is lower than
   * `maxBytes`, since kafkajs writes a call's messages for one partition as one record batch.
   */
  readonly maxMessageBytes?: ReadonlyMap<string, number>;
}

/**
 * Splits one commit's outputs into consecutive `sendBatch` payloads of about `maxBytes` bytes per topic each (the
 * broker takes one record batch per partition in a Produce request, and refuses one above `max.message.bytes`), and never two entries for the same topic in one payload (kafkajs keys them by
 * topic and drops all but the last). Entries of the same topic are merged first. Sending the payloads one after
 * the other keeps every partition's order.
 */
export function chunkTopicMessages(
  topicMessages: readonly TopicMessages[],
  limits: SendChunkLimits = {},
): TopicMessages[][] {
  const maxBytes = positive('maxBytes', limits.maxBytes ?? MAX_BYTES_PER_SEND);
  const byTopic = new Map<string, Message[]>();
  for (const { topic, messages } of topicMessages) {
    if (messages.length === 0) continue;
    const list = byTopic.get(topic);
    if (list === undefined) byTopic.set(topic, messages.slice());
    else for (const m of messages) list.push(m);
  }
  const calls: TopicMessages[][] = [];
  for (const [topic, messages] of byTopic) {
    const topicLimit = limits.maxMessageBytes?.get(topic);
    const maxTopicBytes =
      topicLimit === undefined ? maxBytes : Math.max(1, Math.min(maxBytes, topicLimit - BATCH_FRAMING_BYTES));
    let call = 0;
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < messages.length; i++) {
      const size = messageBytes(messages[i]!);
      if (i > start && bytes + size > maxTopicBytes) {
        (calls[call++] ??= []).push({ topic, messages: messages.slice(start, i) });
        start = i;
        bytes = 0;
      }
      bytes += size;
    }
    (calls[call] ??= []).push({ topic, messages: messages.slice(start) });
  }
  return calls;
}

/** Estimated size of one record: key, value, header names and values, plus the record framing. */
export function messageBytes(m: Message): number {
  let n = RECORD_OVERHEAD_BYTES + fieldBytes(m.key) + fieldBytes(m.value);
  if (m.headers !== undefined && m.headers !== null) {
    for (const [k, v] of Object.entries(m.headers)) {
      n +=
        Buffer.byteLength(k) +
        8 +
        (Array.isArray(v)
          ? v.reduce<number>((s, x: Buffer | string | null) => s + fieldBytes(x) + 8, 0)
          : fieldBytes(v as Buffer | string | null | undefined));
    }
  }
  return n;
}

function fieldBytes(v: Buffer | string | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer (got ${String(value)})`);
  }
  return value;
}
