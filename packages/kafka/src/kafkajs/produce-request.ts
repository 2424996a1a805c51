/**
 * kafkajs 2.2.4's Produce request v3 (`protocol/requests/produce/v3/request.js`, which v4–v7 reuse), the same code
 * and bytes except one line: kafkajs builds every record from `{ ...message, offsetDelta, timestampDelta }`, an object
 * spread per message; here the record encoder gets the five fields it reads. A differential test compares the
 * encoded requests.
 */
import { patchKafkajsModule, supportedKafkajs } from './module-patch.js';

interface Encoder {
  writeString(value: string | null): Encoder;
  writeInt16(value: number): Encoder;
  writeInt32(value: number): Encoder;
  writeArray(value: unknown[]): Encoder;
  writeEncoder(value: Encoder): Encoder;
  size(): number;
}

interface Message {
  key?: unknown;
  value?: unknown;
  headers?: unknown;
  timestamp?: string | number | null;
}

interface PartitionData {
  partition: number;
  messages: Message[];
  firstSequence?: number;
}

interface TopicData {
  topic: string;
  partitions: PartitionData[];
}

interface RequestArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: unknown;
  producerEpoch?: number;
  compression?: number;
  topicData: TopicData[];
}

export interface ProduceRequestInternals {
  Encoder: new () => Encoder;
  /** kafkajs' `Long.fromInt`. */
  longFromInt: (value: number) => unknown;
  apiKey: number;
  compressionNone: number;
  /** kafkajs' record encoder (as installed: the patched one when in place). */
  Record: (args: object) => Encoder;
  RecordBatch: (args: object) => Promise<Encoder>;
}

/** Returns a function with the signature and result of kafkajs' Produce request v3. */
export function createProduceRequest(k: ProduceRequestInternals): (args: RequestArgs) => object {
  const partitionsEncoder =
    (compression: number) =>
    async ({
      partition,
      messages,
      transactionalId,
      firstSequence,
      producerId,
      producerEpoch,
    }: PartitionData & { transactionalId: string | null; producerId: unknown; producerEpoch: number }) => {
      const dateNow = Date.now();
      // kafkajs sorts the timestamps as they are (strings sort as text): kept as is, same first and max timestamp
      const messageTimestamps = messages
        .map((m) => m.timestamp)
        .filter((timestamp) => timestamp != null)
        .sort();
      const timestamps = messageTimestamps.length === 0 ? [dateNow] : messageTimestamps;
      const firstTimestamp = timestamps[0] as number;
      const maxTimestamp = timestamps[timestamps.length - 1];
      const records = new Array<Encoder>(messages.length);
      for (let i = 0; i < messages.length; i++) {
        const message = messages[i]!;
        records[i] = k.Record({
          key: message.key,
          value: message.value,
          headers: message.headers,
          offsetDelta: i,
          timestampDelta: ((message.timestamp || dateNow) as number) - firstTimestamp,
        });
      }
      const recordBatch = await k.RecordBatch({
        compression,
        records,
        firstTimestamp,
        maxTimestamp,
        producerId,
        producerEpoch,
        firstSequence,
        transactional: !!transactionalId,
        lastOffsetDelta: records.length - 1,
      });
      return new k.Encoder().writeInt32(partition).writeInt32(recordBatch.size()).writeEncoder(recordBatch);
    };

  const topicEncoder =
    (compression: number) =>
    async ({
      topic,
      partitions,
      transactionalId,
      producerId,
      producerEpoch,
    }: TopicData & { transactionalId: string | null; producerId: unknown; producerEpoch: number }) => {
      const encodePartitions = partitionsEncoder(compression);
      const encodedPartitions = [];
      for (const data of partitions) {
        encodedPartitions.push(
          await encodePartitions({ ...data, transactionalId, producerId, producerEpoch }),
        );
      }
      return new k.Encoder().writeString(topic).writeArray(encodedPartitions);
    };

  return ({
    acks,
    timeout,
    transactionalId = null,
    producerId = k.longFromInt(-1),
    producerEpoch = 0,
    compression = k.compressionNone,
    topicData,
  }) => ({
    apiKey: k.apiKey,
    apiVersion: 3,
    apiName: 'Produce',
    expectResponse: () => acks !== 0,
    encode: async () => {
      const encodeTopic = topicEncoder(compression);
      const encodedTopicData = [];
      for (const data of topicData) {
        encodedTopicData.push(await encodeTopic({ ...data, transactionalId, producerId, producerEpoch }));
      }
      return new k.Encoder()
        .writeString(transactionalId)
        .writeInt16(acks)
        .writeInt32(timeout)
        .writeArray(encodedTopicData);
    },
  });
}

/**
 * Installs the Produce request into the kafkajs 2.2.4 that `require` resolves, if the produce request versions (which
 * keep a reference) are not loaded yet; returns whether it is in place. Off with `TRIBUTARY_KAFKAJS_ENCODING=kafkajs`.
 */
export function installProduceRequest(
  require: NodeJS.Require,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.TRIBUTARY_KAFKAJS_ENCODING === 'kafkajs' || !supportedKafkajs(require)) return false;
  return patchKafkajsModule<(args: RequestArgs) => object>(
    require,
    'kafkajs/src/protocol/requests/produce/v3/request.js',
    [
      'kafkajs/src/protocol/requests/produce/v4/request.js',
      'kafkajs/src/protocol/requests/produce/v5/request.js',
    ],
    () => createProduceRequest(produceRequestInternals(require)),
  );
}

/** kafkajs' own modules the request is built from (resolved through `require`). */
export function produceRequestInternals(require: NodeJS.Require): ProduceRequestInternals {
  const Long = require('kafkajs/src/utils/long.js') as { fromInt(value: number): unknown };
  return {
    Encoder: require('kafkajs/src/protocol/encoder.js') as new () => Encoder,
    longFromInt: (value) => Long.fromInt(value),
    apiKey: (require('kafkajs/src/protocol/requests/apiKeys.js') as { Produce: number }).Produce,
    compressionNone: (
      require('kafkajs/src/protocol/message/compression/index.js') as { Types: { None: number } }
    ).Types.None,
    Record: require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (args: object) => Encoder,
    RecordBatch: (
      require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
        RecordBatch: (args: object) => Promise<Encoder>;
      }
    ).RecordBatch,
  };
}
