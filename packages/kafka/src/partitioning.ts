import type { ICustomPartitioner } from 'kafkajs';
import { loadKafkajs } from './kafkajs/kafkajs-module.js';

/**
 * The Java client's (and kafkajs 2.x default) partitioner for keyed messages: `toPositive(murmur2(key)) % partitions`.
 * The producer computes each event's partition with it and sets it explicitly, so the ground truth knows the log order.
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const encoder = new TextEncoder();

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils#murmur2) as a signed 32-bit integer. */
export function murmur2(key: string | Uint8Array): number {
  const data = typeof key === 'string' ? encoder.encode(key) : key;
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition a keyed message goes to among `partitions`. */
export function partitionForKey(key: string | Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/**
 * A kafkajs `createPartitioner` that returns a message's explicit `partition` first and hands every other message to
 * `fallback` (pass kafkajs' `Partitioners.DefaultPartitioner`: same partitions as the default for every message),
 * without the default's per-message work (it filters the partition metadata for every message).
 */
export function explicitFirstPartitioner<A extends { message: { partition?: number | null } }>(
  fallback: () => (args: A) => number,
): () => (args: A) => number {
  return () => {
    const byDefault = fallback();
    return (args) => {
      const partition = args.message.partition;
      return typeof partition === 'number' ? partition : byDefault(args);
    };
  };
}

/**
 * kafkajs' default partitioner (the Java client's murmur2 of the key), but a message's explicit `partition` is
 * returned first, without the default's per-message work. Same partitions as the default for every message; pass it
 * as a producer's `createPartitioner`.
 */
export const ExplicitFirstPartitioner: ICustomPartitioner = explicitFirstPartitioner(() =>
  loadKafkajs().Partitioners.DefaultPartitioner(),
);
