/**
 * kafkajs 2.2.4's transactional producer looks its coordinators up again for every step of every transaction: a
 * FindCoordinator request before AddPartitionsToTxn, AddOffsetsToTxn and EndTxn, and one for the consumer group
 * before TxnOffsetCommit — four round trips of nine per committed transaction, each waiting its turn on the
 * producer's one-request-at-a-time connection (measured: 2 ms at the median, 11–13 ms at p90 on a loaded broker, on
 * every commit of every task). This installs, into kafkajs' module cache, an eosManager whose cluster remembers
 * each coordinator it found for `COORDINATOR_LOOKUP_TTL_MS` and while its connection is up; a lookup in flight is
 * shared. A coordinator that moved is found again within that time, as kafkajs' own retries of a stale coordinator
 * ask again; a transaction that fails meanwhile is aborted and retried by its owner as before.
 *
 * Call `installCoordinatorCache(createRequire(import.meta.url))` before kafkajs' producer is loaded; with another
 * kafkajs version, or once the producer is loaded, nothing changes.
 */
import { patchKafkajsModule, supportedKafkajs } from './module-patch.js';

/** How long a coordinator found is used without asking again. */
export const COORDINATOR_LOOKUP_TTL_MS = 1_000;

/** The part of a kafkajs `Broker` the cache looks at. */
interface CoordinatorBroker {
  isConnected?(): boolean;
}

interface CoordinatorLookup {
  groupId: string;
  coordinatorType?: number;
}

/** The part of kafkajs' `Cluster` the cache wraps; everything else passes through. */
export interface CoordinatorCluster {
  findGroupCoordinator(lookup: CoordinatorLookup): Promise<CoordinatorBroker>;
}

interface Remembered {
  readonly broker: Promise<CoordinatorBroker>;
  /** When the lookup was answered (undefined while in flight). */
  foundAt: number | undefined;
}

/**
 * `cluster` with `findGroupCoordinator` answered from what it found in the last `ttlMs` (per group id and
 * coordinator type) while that broker's connection is up; a lookup in flight is shared, a failed one forgotten.
 */
export function cachingCoordinators<C extends CoordinatorCluster>(
  cluster: C,
  ttlMs = COORDINATOR_LOOKUP_TTL_MS,
  now: () => number = () => performance.now(),
): C {
  const remembered = new Map<string, Remembered>();
  const findGroupCoordinator = (lookup: CoordinatorLookup): Promise<CoordinatorBroker> => {
    const key = `${lookup.coordinatorType ?? 0}:${lookup.groupId}`;
    const hit = remembered.get(key);
    if (hit !== undefined && (hit.foundAt === undefined || now() - hit.foundAt < ttlMs)) {
      if (hit.foundAt === undefined) return hit.broker;
      return hit.broker.then((broker) => (broker.isConnected?.() === false ? lookUp(key, lookup) : broker));
    }
    return lookUp(key, lookup);
  };
  const lookUp = (key: string, lookup: CoordinatorLookup): Promise<CoordinatorBroker> => {
    const entry: Remembered = { broker: cluster.findGroupCoordinator(lookup), foundAt: undefined };
    remembered.set(key, entry);
    entry.broker.then(
      () => {
        entry.foundAt = now();
      },
      () => {
        if (remembered.get(key) === entry) remembered.delete(key);
      },
    );
    return entry.broker;
  };
  return new Proxy(cluster, {
    get(target, property, receiver) {
      if (property === 'findGroupCoordinator') return findGroupCoordinator;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

type CreateEosManager = (options: { cluster: CoordinatorCluster } & Record<string, unknown>) => object;

/**
 * Installs the caching eosManager into the kafkajs 2.2.4 that `require` resolves, if its producer is not loaded yet;
 * returns whether it is in place.
 */
export function installCoordinatorCache(require: NodeJS.Require): boolean {
  return (
    supportedKafkajs(require) &&
    patchKafkajsModule<CreateEosManager>(
      require,
      'kafkajs/src/producer/eosManager/index.js',
      'kafkajs/src/producer/index.js',
      (createEosManager) => (options) =>
        createEosManager({ ...options, cluster: cachingCoordinators(options.cluster) }),
    )
  );
}
