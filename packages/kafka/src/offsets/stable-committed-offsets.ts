/**
 * A consumer group's committed offsets read the way the Java consumer reads them under read_committed: OffsetFetch v7
 * with `require_stable` (KIP-447), which kafkajs 2.2.4 (OffsetFetch v1–v4) lacks. While a transaction that
 * committed offsets for a partition (TxnOffsetCommit) is not complete — or is complete but its offsets are not
 * applied yet — the coordinator answers UNSTABLE_OFFSET_COMMIT for it instead of the offset from before, and this
 * asks again, so the offset returned is never one a pending or just-completed transaction is about to replace.
 */
import { createRequire } from 'node:module';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { z } from '@tributary/options';
import type { Admin } from 'kafkajs';
import { KafkaError, KafkaErrorCodes } from '../errors.js';
import { clusterOfAdmin, type KafkajsBroker, type KafkajsCluster } from '../kafkajs/admin-cluster.js';
import {
  decodeOffsetFetchV7Response,
  encodeOffsetFetchV7Request,
  OFFSET_FETCH_API_KEY,
  OFFSET_FETCH_STABLE_VERSION,
  type OffsetFetchRequestTopic,
  type OffsetFetchV7Response,
} from './offset-fetch-v7.js';
import {
  isRetriableFetchError,
  OffsetFetchBackoff,
  offsetFetchOutcome,
  OffsetFetchRetryCodes,
} from './offset-fetch-retry.js';

/** A topic to read, with the partitions to read (all of the topic's when omitted). */
export interface StableOffsetsTopic {
  readonly topic: string;
  readonly partitions?: readonly number[] | undefined;
}

/** The group's committed offsets of a topic, as kafkajs' `admin.fetchOffsets` returns them. */
export interface CommittedTopicOffsets {
  readonly topic: string;
  /** `offset` is the next offset to read as a decimal string, `'-1'` when the group committed none. */
  readonly partitions: ReadonlyArray<{
    readonly partition: number;
    readonly offset: string;
    readonly metadata: string | null;
  }>;
}

export interface StableOffsetsOptions {
  /**
   * Attempts start until this long after the first; then `TRIB_KAFKA_OFFSETS_NOT_STABLE`. A pending transaction
   * ends when its producer commits or aborts it, or when the broker aborts it after its transaction timeout.
   * @defaultValue 60 000 ms (the Java client's `default.api.timeout.ms`)
   */
  readonly timeoutMs?: number | undefined;
  /** @defaultValue 100 ms (the Java client's `retry.backoff.ms`), doubled after every retry */
  readonly initialRetryMs?: number | undefined;
  /** @defaultValue 1 000 ms (the Java client's `retry.backoff.max.ms`) */
  readonly maxRetryMs?: number | undefined;
  /**
   * What to do when the group coordinator does not support OffsetFetch v7 (brokers before Kafka 2.5): `'warn'` reads
   * with kafkajs' `fetchOffsets` (no waiting for pending transactional offset commits) and warns once per admin;
   * `'fail'` throws `TRIB_KAFKA_OFFSET_FETCH_FAILED` — for callers whose correctness needs a stable read (an
   * exactly-once restore). @defaultValue 'warn'
   */
  readonly withoutStableFetch?: 'warn' | 'fail' | undefined;
  /** @defaultValue `Date.now` */
  readonly now?: (() => number) | undefined;
  /** @defaultValue `timers/promises`' `setTimeout` */
  readonly sleep?: ((ms: number) => Promise<unknown>) | undefined;
}

/** The defaults of `StableOffsetsOptions`. */
export const DEFAULT_STABLE_OFFSETS_OPTIONS = Object.freeze({
  timeoutMs: 60_000,
  initialRetryMs: 100,
  maxRetryMs: 1_000,
});

const ms = (name: string, min: number) =>
  z.int(`${name} must be an integer number of milliseconds`).min(min, `${name} must be >= ${min}`);
const ARGUMENTS = z.object({
  groupId: z.string('groupId must be a string').min(1, 'groupId must not be empty'),
  topics: z.array(
    z.object({
      topic: z.string('topics[].topic must be a string').min(1, 'topics[].topic must not be empty'),
      partitions: z
        .array(
          z
            .int()
            .min(0)
            .max(2 ** 31 - 1),
          'topics[].partitions must be partition numbers',
        )
        .optional(),
    }),
    'topics must be an array of { topic, partitions? }',
  ),
  timeoutMs: ms('timeoutMs', 0),
  initialRetryMs: ms('initialRetryMs', 1),
  maxRetryMs: ms('maxRetryMs', 1),
});

const ownRequire = createRequire(import.meta.url);
/** Admins already warned that their broker lacks OffsetFetch v7. */
const warned = new WeakSet<object>();

/**
 * The committed offsets of `groupId` for `topics`, read with OffsetFetch v7 `require_stable` from the group
 * coordinator: UNSTABLE_OFFSET_COMMIT (a transactional offset commit pending) and a loading coordinator are asked
 * again, a coordinator that moved or is unavailable is found again after a metadata refresh (as kafkajs does), and a
 * lost connection is retried — with a doubling delay (`initialRetryMs` … `maxRetryMs`) until `timeoutMs`, then
 * `TRIB_KAFKA_OFFSETS_NOT_STABLE` (retriable). Any other broker error fails with `TRIB_KAFKA_OFFSET_FETCH_FAILED`,
 * kafkajs' error as its cause. `admin` must come from `createKafkaClient` (its kafkajs cluster is reached through
 * the installed admin factory), connected. When the coordinator does not support OffsetFetch v7 (brokers before
 * Kafka 2.5), this falls back to kafkajs' `admin.fetchOffsets`, which does not wait for pending transactions, and
 * warns once per admin through kafkajs' logger — or fails, with `withoutStableFetch: 'fail'`.
 */
export async function fetchStableCommittedOffsets(
  admin: Admin,
  groupId: string,
  topics: readonly StableOffsetsTopic[],
  options: StableOffsetsOptions = {},
): Promise<CommittedTopicOffsets[]> {
  const args = validate(groupId, topics, options);
  const cluster = clusterOfAdmin(admin);
  if (cluster === undefined) {
    throw new KafkaError(
      KafkaErrorCodes.KAFKAJS_NOT_FIXABLE,
      'the admin has no kafkajs cluster handle: create it from a client of createKafkaClient',
    );
  }
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const backoff = new OffsetFetchBackoff(args, now);
  let request: OffsetFetchRequestTopic[] | undefined;
  for (;;) {
    let retry: Retry;
    let coordinator: KafkajsBroker | undefined;
    try {
      coordinator = await cluster.findGroupCoordinator({ groupId });
      if (!supportsStableFetch(coordinator)) {
        if (options.withoutStableFetch === 'fail') {
          throw new KafkaError(
            KafkaErrorCodes.OFFSET_FETCH_FAILED,
            `the group coordinator of ${groupId} does not support OffsetFetch v7 (require_stable, Kafka 2.5 or ` +
              'newer): its committed offsets cannot be read stable',
          );
        }
        return await fallback(admin, groupId, topics);
      }
      request ??= await requestTopics(cluster, topics);
      const response = await send(coordinator, { groupId, topics: request, requireStable: true });
      const outcome = offsetFetchOutcome(response);
      if (outcome.kind === 'offsets') return committedOffsets(response);
      const cause = brokerError(outcome.errorCode);
      if (outcome.kind === 'fail') {
        throw new KafkaError(
          KafkaErrorCodes.OFFSET_FETCH_FAILED,
          `reading the committed offsets of group ${groupId} failed (${outcome.where}): ${cause.message}`,
          { cause },
        );
      }
      retry = {
        cause,
        findCoordinator: outcome.findCoordinator,
        reason:
          outcome.errorCode === OffsetFetchRetryCodes.UNSTABLE_OFFSET_COMMIT
            ? `a transactional offset commit is still pending for ${outcome.where}`
            : `the group coordinator answered: ${cause.message} (${outcome.where})`,
      };
    } catch (error) {
      if (error instanceof KafkaError) throw error;
      if (!isRetriableFetchError(error)) {
        throw new KafkaError(
          KafkaErrorCodes.OFFSET_FETCH_FAILED,
          `reading the committed offsets of group ${groupId} failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
      if ((error as Error).name === 'KafkaJSConnectionClosedError') await coordinator?.disconnect();
      retry = { cause: error, findCoordinator: true, reason: (error as Error).message };
    }
    const delay = backoff.next();
    if (delay === undefined) {
      throw new KafkaError(
        KafkaErrorCodes.OFFSETS_NOT_STABLE,
        `the committed offsets of group ${groupId} could not be read stable within ${args.timeoutMs} ms ` +
          `(${backoff.retries + 1} attempts): ${retry.reason}`,
        { cause: retry.cause, retriable: true },
      );
    }
    if (retry.findCoordinator) await cluster.refreshMetadata().catch(() => undefined);
    await sleep(delay);
  }
}

/** Why an attempt is retried. */
interface Retry {
  readonly reason: string;
  readonly cause: unknown;
  /** Refresh the metadata before the next attempt finds the coordinator. */
  readonly findCoordinator: boolean;
}

function validate(
  groupId: string,
  topics: readonly StableOffsetsTopic[],
  options: StableOffsetsOptions,
): z.infer<typeof ARGUMENTS> {
  const parsed = ARGUMENTS.safeParse({
    groupId,
    topics,
    timeoutMs: options.timeoutMs ?? DEFAULT_STABLE_OFFSETS_OPTIONS.timeoutMs,
    initialRetryMs: options.initialRetryMs ?? DEFAULT_STABLE_OFFSETS_OPTIONS.initialRetryMs,
    maxRetryMs: options.maxRetryMs ?? DEFAULT_STABLE_OFFSETS_OPTIONS.maxRetryMs,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KafkaError(
      KafkaErrorCodes.INVALID_OPTION,
      `fetchStableCommittedOffsets: ${issue.message} (at ${issue.path.join('.') || 'arguments'})`,
    );
  }
  return parsed.data;
}

function supportsStableFetch(broker: KafkajsBroker): boolean {
  const versions = broker.versions?.[OFFSET_FETCH_API_KEY];
  return (
    versions !== undefined &&
    versions.minVersion <= OFFSET_FETCH_STABLE_VERSION &&
    versions.maxVersion >= OFFSET_FETCH_STABLE_VERSION
  );
}

/** The topics with their partitions; a topic without them gets all of its partitions (as kafkajs' fetchOffsets). */
async function requestTopics(
  cluster: KafkajsCluster,
  topics: readonly StableOffsetsTopic[],
): Promise<OffsetFetchRequestTopic[]> {
  const result: OffsetFetchRequestTopic[] = [];
  for (const { topic, partitions } of topics) {
    if (partitions !== undefined) {
      result.push({ topic, partitions });
      continue;
    }
    await cluster.addTargetTopic(topic);
    await cluster.refreshMetadataIfNecessary();
    const all = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId);
    result.push({ topic, partitions: all.sort((a, b) => a - b) });
  }
  return result;
}

/** Sends OffsetFetch v7 over kafkajs' connection to `broker` (its request header v1 + an empty tag section = v2). */
async function send(
  broker: KafkajsBroker,
  request: Parameters<typeof encodeOffsetFetchV7Request>[0],
): Promise<OffsetFetchV7Response> {
  const Encoder = ownRequire('kafkajs/src/protocol/encoder.js') as new () => {
    writeBuffer(value: Buffer): object;
  };
  const body = encodeOffsetFetchV7Request(request);
  return (await broker.connectionPool.send({
    request: {
      apiKey: OFFSET_FETCH_API_KEY,
      apiVersion: OFFSET_FETCH_STABLE_VERSION,
      apiName: 'OffsetFetch',
      encode: async () => new Encoder().writeBuffer(Buffer.concat([REQUEST_HEADER_TAGS, body])),
    },
    response: {
      decode: async (payload: Buffer) => {
        const decoded = decodeOffsetFetchV7Response(payload);
        // OffsetFetch v4+: the broker answers before throttling, kafkajs' queue throttles on this (KIP-219)
        return { ...decoded, clientSideThrottleTime: decoded.throttleTimeMs };
      },
      // the answer's error codes are judged by the caller, not thrown (and logged) by kafkajs' connection
      parse: async (decoded: OffsetFetchV7Response) => decoded,
    },
  })) as OffsetFetchV7Response;
}

/** Request header v2 = kafkajs' header v1 followed by an empty tagged-field section. */
const REQUEST_HEADER_TAGS = Buffer.of(0);

function committedOffsets(response: OffsetFetchV7Response): CommittedTopicOffsets[] {
  return response.topics.map(({ topic, partitions }) => ({
    topic,
    partitions: partitions.map(({ partition, offset, metadata }) => ({
      partition,
      offset,
      metadata: metadataOrNull(metadata),
    })),
  }));
}

/** No metadata as kafkajs' fetchOffsets gives it: null (the broker answers an empty string). */
function metadataOrNull(metadata: string | null | undefined): string | null {
  return metadata === '' || metadata === undefined ? null : metadata;
}

/** kafkajs' error for a broker error code (`type`, `code`, `retriable`, message). */
function brokerError(code: number): Error {
  const { createErrorFromCode } = ownRequire('kafkajs/src/protocol/error.js') as {
    createErrorFromCode: (code: number) => Error;
  };
  return createErrorFromCode(code);
}

async function fallback(
  admin: Admin,
  groupId: string,
  topics: readonly StableOffsetsTopic[],
): Promise<CommittedTopicOffsets[]> {
  if (!warned.has(admin)) {
    warned.add(admin);
    admin
      .logger()
      .warn(
        'The group coordinator does not support OffsetFetch v7 (require_stable): committed offsets are read ' +
          'without waiting for pending transactional offset commits',
        { groupId },
      );
  }
  const fetched = await admin.fetchOffsets({ groupId, topics: topics.map((t) => t.topic) });
  return fetched.map(({ topic, partitions }) => {
    const wanted = topics.find((t) => t.topic === topic)?.partitions;
    return {
      topic,
      partitions: partitions
        .filter((p) => wanted === undefined || wanted.includes(p.partition))
        .map(({ partition, offset, metadata }) => ({
          partition,
          offset,
          metadata: metadataOrNull(metadata),
        })),
    };
  });
}
