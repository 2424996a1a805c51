/**
 * The kafkajs cluster behind an admin client. kafkajs 2.2.4's admin keeps its `Cluster` (coordinator lookup,
 * metadata, connected brokers) in a closure, so requests kafkajs does not implement — OffsetFetch v7 with
 * `require_stable` — cannot reach a broker through it. The installed `admin/index.js` calls kafkajs' own factory and
 * attaches the cluster it was given to the admin under a symbol, non-enumerable; nothing else changes.
 */
import { patchKafkajsModule, supportedKafkajs } from './module-patch.js';

const CLUSTER = Symbol.for('tributary.kafkajs-admin-cluster');

/** What a request kafkajs does not implement needs from a kafkajs `Broker`. */
export interface KafkajsBroker {
  /** The broker's ApiVersions answer by API key (set once connected). */
  readonly versions: Readonly<Record<number, { minVersion: number; maxVersion: number } | undefined>> | null;
  readonly connectionPool: {
    send(protocolRequest: { request: object; response: object }): Promise<unknown>;
  };
  disconnect(): Promise<void>;
}

/** The part of kafkajs' `Cluster` used here. */
export interface KafkajsCluster {
  findGroupCoordinator(args: { groupId: string }): Promise<KafkajsBroker>;
  refreshMetadata(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findTopicPartitionMetadata(topic: string): ReadonlyArray<{ partitionId: number }>;
}

type CreateAdmin = (options: { cluster: unknown }) => object;

/** The cluster of an admin created by the installed kafkajs (every admin of `createKafkaClient`), else undefined. */
export function clusterOfAdmin(admin: object): KafkajsCluster | undefined {
  return (admin as Record<symbol, KafkajsCluster | undefined>)[CLUSTER];
}

/** kafkajs' admin factory with the cluster attached to what it returns. */
export function createAdminWithCluster(createAdmin: CreateAdmin): CreateAdmin {
  return (options) => {
    const admin = createAdmin(options);
    Object.defineProperty(admin, CLUSTER, { value: options.cluster });
    return admin;
  };
}

/**
 * Installs the admin factory into the kafkajs 2.2.4 that `require` resolves, if kafkajs' entry point (which keeps a
 * reference) is not loaded yet; returns whether it is in place.
 */
export function installAdminCluster(require: NodeJS.Require): boolean {
  return (
    supportedKafkajs(require) &&
    patchKafkajsModule<CreateAdmin>(
      require,
      'kafkajs/src/admin/index.js',
      'kafkajs/src/index.js',
      createAdminWithCluster,
    )
  );
}
