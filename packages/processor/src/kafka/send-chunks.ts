import type { Message, TopicMessages } from 'kafkajs';

/**
 * Most messages per topic in one `send`/`sendBatch` call. kafkajs 2.2.4 groups a call's messages per partition by
 * copying the partition's array for every message (quadratic): 1 000 messages cost ~4 ms, 10 000 cost ~150 ms.
 */
export const MAX_MESSAGES_PER_SEND = 1_000;

/**
 * Splits one commit's outputs into consecutive `sendBatch` payloads with at most `maxPerTopic` messages per topic
 * each, and never two entries for the same topic in one payload (kafkajs keys them by topic and drops all but the
 * last). Entries of the same topic are merged first. Sending the payloads one after the other keeps every
 * partition's order.
 */
export function chunkTopicMessages(
  topicMessages: readonly TopicMessages[],
  maxPerTopic: number = MAX_MESSAGES_PER_SEND,
): TopicMessages[][] {
  if (!Number.isSafeInteger(maxPerTopic) || maxPerTopic <= 0) {
    throw new RangeError(`maxPerTopic must be a positive integer (got ${String(maxPerTopic)})`);
  }
  const byTopic = new Map<string, Message[]>();
  for (const { topic, messages } of topicMessages) {
    if (messages.length === 0) continue;
    const list = byTopic.get(topic);
    if (list === undefined) byTopic.set(topic, messages.slice());
    else for (const m of messages) list.push(m);
  }
  const calls: TopicMessages[][] = [];
  for (let start = 0; ; start += maxPerTopic) {
    const call: TopicMessages[] = [];
    for (const [topic, messages] of byTopic) {
      if (start < messages.length) call.push({ topic, messages: messages.slice(start, start + maxPerTopic) });
    }
    if (call.length === 0) return calls;
    calls.push(call);
  }
}
