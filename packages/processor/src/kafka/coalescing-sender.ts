import type { Producer, TopicMessages } from '@tributary/kafka';
import { chunkTopicMessages, type SendChunkLimits } from './send-chunks.js';

interface WaitingSend {
  readonly topicMessages: readonly TopicMessages[];
  readonly limits: SendChunkLimits;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The sends of several tasks through one producer that keeps one request in flight (at-least-once: a stage's shared
 * idempotent producer). A send made while none is in flight goes out at once; the sends made while one is in flight
 * go out together in the next request, so tasks that commit at the same moment — the stage-1 tasks whose watermarks
 * just passed a window's end — wait one round trip for each other instead of one each. Each send resolves once its
 * messages are acknowledged (acks all); a failed request rejects every send it carried. A caller's messages keep their
 * order: the request takes each send's messages in the order the sends were made.
 */
export class CoalescingSender {
  readonly #producer: Producer;
  #waiting: WaitingSend[] = [];
  #sending = false;

  constructor(producer: Producer) {
    this.#producer = producer;
  }

  /** Resolves when `topicMessages` are acknowledged; `limits` bound the record batches (see `chunkTopicMessages`). */
  send(topicMessages: readonly TopicMessages[], limits: SendChunkLimits = {}): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ topicMessages, limits, resolve, reject });
      if (!this.#sending) void this.#sendWaiting();
    });
  }

  async #sendWaiting(): Promise<void> {
    this.#sending = true;
    while (this.#waiting.length > 0) {
      const sends = this.#waiting;
      this.#waiting = [];
      try {
        const calls = chunkTopicMessages(
          sends.flatMap((s) => s.topicMessages),
          strictestLimits(sends),
        );
        for (const topicMessages of calls) await this.#producer.sendBatch({ topicMessages, acks: -1 });
        for (const s of sends) s.resolve();
      } catch (error) {
        for (const s of sends) s.reject(error);
      }
    }
    this.#sending = false;
  }
}

/** The lowest of the sends' limits, per topic: the request respects every send's. */
function strictestLimits(sends: readonly WaitingSend[]): SendChunkLimits {
  if (sends.length === 1) return sends[0]!.limits;
  let maxBytes: number | undefined;
  const maxMessageBytes = new Map<string, number>();
  for (const { limits } of sends) {
    if (limits.maxBytes !== undefined) maxBytes = Math.min(maxBytes ?? limits.maxBytes, limits.maxBytes);
    for (const [topic, bytes] of limits.maxMessageBytes ?? [])
      maxMessageBytes.set(topic, Math.min(maxMessageBytes.get(topic) ?? bytes, bytes));
  }
  return { ...(maxBytes === undefined ? {} : { maxBytes }), maxMessageBytes };
}
