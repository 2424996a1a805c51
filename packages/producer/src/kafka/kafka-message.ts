import type { Message } from '@tributary/kafka';

/** A kafkajs message as the producer sends it: key and value bytes and an explicit partition. */
export interface KafkaMessage extends Message {
  key: Buffer;
  value: Buffer;
  partition: number;
}

/** Keys kept encoded at most; past it the cache starts over (a workload's keys are its users: a few thousand). */
const MAX_CACHED_KEYS = 100_000;

/** Builds KafkaMessages, keeping each distinct key encoded once (kafkajs re-encodes a string key per record). */
export class KafkaMessageFactory {
  readonly #keys = new Map<string, Buffer>();

  /** The key's UTF-8 bytes, from the cache. */
  keyBytes(key: string): Buffer {
    let bytes = this.#keys.get(key);
    if (bytes === undefined) {
      if (this.#keys.size >= MAX_CACHED_KEYS) this.#keys.clear();
      bytes = Buffer.from(key, 'utf8');
      this.#keys.set(key, bytes);
    }
    return bytes;
  }

  /** A message for `partition` with these key and value bytes (the value is wrapped, not copied) and headers. */
  message(
    partition: number,
    key: string,
    value: Uint8Array,
    headers: Record<string, string> | undefined = undefined,
  ): KafkaMessage {
    const keyBytes = this.keyBytes(key);
    const valueBytes = Buffer.isBuffer(value)
      ? value
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return headers === undefined
      ? { key: keyBytes, value: valueBytes, partition }
      : { key: keyBytes, value: valueBytes, partition, headers };
  }
}
