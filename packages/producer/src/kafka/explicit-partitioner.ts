// First: kafkajs' producer picks up the linear per-partition grouping when it loads (see the module).
import './kafkajs-linear-grouping.js';
import kafkajs from 'kafkajs';
import type { ICustomPartitioner } from 'kafkajs';
import { explicitFirstPartitioner } from '@tributary/schema';

// kafkajs is CommonJS: Node's ESM loader exposes it as a default export only.
const { Partitioners } = kafkajs;

/**
 * kafkajs' default partitioner (the Java client's murmur2 of the key), but a message's explicit `partition` is
 * returned first, without the default's per-message work (it filters the partition metadata for every message).
 * Same partitions as the default for every message.
 */
export const ExplicitFirstPartitioner: ICustomPartitioner = explicitFirstPartitioner(
  Partitioners.DefaultPartitioner,
);
