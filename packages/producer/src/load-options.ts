import { option, z } from '@tributary/options';
import type { OptionValues } from '@tributary/options';
import { kafkaConnectionSpecs } from './kafka/connection-options.js';
import { durationOption, flagged } from './option-kinds.js';
import { CLICKSTREAM_OPTIONS, EVENT_TIME_ORIGIN } from './workload/workload-options.js';
import type { WorkloadOptions } from './workload/workload-options.js';

/** Options of `runLoad` / `tributary-produce run`: the Kafka connection, the clickstream, pacing and batching. */
export const LOAD_OPTIONS = CLICKSTREAM_OPTIONS.extend(
  {
    ...kafkaConnectionSpecs({ clientId: 'tributary-produce', retries: 5, requestTimeoutMs: 30_000 }),
    /** Target records per second, paced on a fixed schedule (open loop); 0 = as fast as possible. */
    rate: option(
      z.number().min(0).max(100_000_000).default(10_000),
      'records per second on a fixed schedule; 0 = as fast as possible',
    ),
    /** Run length (ms) unless count is set. */
    durationMs: durationOption(z.int().min(1).default(30_000), 'run length, e.g. 30s', flagged('duration')),
    /** Records to send; overrides durationMs. */
    count: option(z.int().min(1).optional(), 'records to send (overrides --duration)'),
    /** Records intended in the first warmupMs are sent but left out of the latency figures. */
    warmupMs: durationOption(
      z.int().min(0).default(0),
      'leave records of the first N out of latency figures, e.g. 5s',
      flagged('warmup'),
    ),
    /**
     * Event time of the first record (epoch ms). Default: the wall clock at start; unthrottled (rate 0) with a
     * count, early enough that the last record's event time is the start (a backfill: never future-dated).
     */
    eventTimeOriginMs: option(EVENT_TIME_ORIGIN.optional(), 'event time of the first record, epoch ms', {
      ...flagged('event-time-origin'),
      defaultText: 'now; with --rate 0 --count n, so that the last one is now',
    }),
    /** Event-time spacing when rate is 0 (unthrottled). */
    eventsPerSecond: option(z.number().min(0.001).default(10_000), 'event-time spacing when --rate is 0'),
    /** A partition's batch is sent once it holds this many records. */
    batchSize: option(z.int().min(1).max(1_000_000).default(1000), 'records per partition batch'),
    /** … or once its oldest record has waited this long (ms). */
    lingerMs: durationOption(
      z.number().min(0).max(60_000).default(5),
      'max wait of a record in the batcher',
      flagged('linger'),
    ),
    /**
     * Outstanding send() calls at most. kafkajs serialises an idempotent producer's requests per broker anyway;
     * with 1 the log order always equals the generation order (with more, a retried send can land after a later
     * one: the manifest still follows the log, but an injected late/duplicate event may then not be one).
     */
    maxInFlightBatches: option(
      z.int().min(1).max(1000).default(1),
      'outstanding send() calls',
      flagged('max-in-flight'),
    ),
    /**
     * kafkajs producers sending in parallel, each idempotent with its own partitions (`p mod producers`; at most one
     * per partition), so their requests overlap while each partition keeps one producer and its order. Pays when
     * the broker's round trip, not this thread's CPU, is the limit (see bench/README.md).
     */
    producers: option(
      z.int().min(1).max(64).default(1),
      'parallel idempotent producers, each with its own partitions',
    ),
    /**
     * Threads (worker_threads) that run the kafkajs producers: this thread paces, generates, encodes and keeps the
     * ground truth, and hands each batch (one transferred buffer) to the thread owning its partitions' producer. 0 =
     * everything on this thread; 'auto' = 1 when the machine has at least 2 cores, else 0. At least one producer per
     * thread (`max(producers, senderThreads)` producers, each with its own partitions).
     */
    senderThreads: option(
      z
        .union([z.literal('auto'), z.int().min(0).max(64)], {
          error: "must be 'auto' or an integer from 0 to 64",
        })
        .default('auto'),
      'threads running the kafkajs producers; 0 = all on the main thread, auto = 1 with >= 2 cores',
      { placeholder: '<n>|auto' },
    ),
    /**
     * Add the trib-intended-ms header (and trib-fault on injected faults) to each record. Off by default: kafkajs
     * encodes each header separately, which costs ~20% of the throughput (bench/README.md).
     */
    recordHeaders: option(
      z.boolean().default(false),
      'add trib-intended-ms / trib-fault headers',
      flagged('headers'),
    ),
    /** Progress line interval (ms); 0 = none. */
    progressIntervalMs: durationOption(
      z.int().min(0).default(5_000),
      'progress line interval; 0 = none',
      flagged('progress-interval'),
    ),
    /** Write the ground-truth manifest JSON here. */
    manifestPath: option(
      z.string().min(1).optional(),
      'write the ground-truth manifest JSON here',
      flagged('manifest'),
    ),
    /** Write the ack-latency `.hgrm` percentile distribution here. */
    hgrmPath: option(z.string().min(1).optional(), 'write the ack-latency .hgrm here', flagged('hgrm')),
  },
  { component: 'runLoad' },
);

export type LoadOptions = OptionValues<typeof LOAD_OPTIONS.specs>;

/** The clickstream part of load options (partitions, event-time origin and spacing are set per run). */
export function workloadOptionsOf(o: LoadOptions): Partial<WorkloadOptions> {
  return Object.fromEntries(CLICKSTREAM_OPTIONS.keys.map((key) => [key, o[key]]));
}

/**
 * Event time of record 0 when the options leave it unset: the start, or, for an unthrottled run of a known count,
 * early enough that the last record's event time is the start. Unthrottled event time runs ahead of the wall clock
 * (eventsPerSecond, not the send rate, spaces it), and events too far ahead of their record's timestamp are
 * future-dated: dead-lettered by the processor, which the manifest would not expect.
 */
export function defaultEventTimeOrigin(
  o: Pick<LoadOptions, 'rate' | 'count'>,
  wallStartMs: number,
  eventsPerSecond: number,
): number {
  if (o.rate > 0 || o.count === undefined || o.count <= 1) return wallStartMs;
  return wallStartMs - Math.floor(((o.count - 1) * 1000) / eventsPerSecond);
}
