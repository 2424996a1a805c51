/**
 * kafkajs 2.2.4's transactional producer looks its coordinators up again for every step of every transaction: a
 * FindCoordinator request before AddPartitionsToTxn (for partitions new to the transaction), AddOffsetsToTxn and
 * EndTxn, and one for the consumer group before TxnOffsetCommit — four round trips of nine per committed
 * transaction, each waiting its turn on the producer's one-request-at-a-time connection (measured: 2 ms at the
 * median, 11–13 ms at p90 on a loaded broker, on every commit of every task). This installs, into kafkajs' module
 * cache, an eosManager whose cluster remembers each coordinator it found for `COORDINATOR_LOOKUP_TTL_MS`, while its
 * connection is up and until a request to it fails because it is not (or no longer) the coordinator or cannot be
 * reached: the next step then looks it up again, as kafkajs does for every step. A lookup in flight is shared.
 *
 * Call `installCoordinatorCache(createRequire(import.meta.url))` before kafkajs' producer is loaded; with another
 * kafkajs version, or once the producer is loaded, nothing changes.
 */
import { patchKafkajsModule, supportedKafkajs } from './module-patch.js';

/** How long a coordinator found is used without asking again. */
export const COORDINATOR_LOOKUP_TTL_MS = 1_000;

/** The part of a kafkajs `Broker` the cache looks at; its requests are methods. */
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

/** Protocol errors of a request sent to a broker that is not the coordinator (any more), or not ready as one. */
const NOT_THE_COORDINATOR: ReadonlySet<string> = new Set([
  'NOT_COORDINATOR_FOR_GROUP',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'GROUP_LOAD_IN_PROGRESS',
]);

/** True when `error` says the remembered coordinator is the wrong one or unreachable: look it up again. */
export function staleCoordinator(error: unknown): boolean {
  const e = (error ?? {}) as { type?: unknown; name?: unknown; code?: unknown };
  return (
    (typeof e.type === 'string' && NOT_THE_COORDINATOR.has(e.type)) ||
    e.name === 'KafkaJSConnectionError' ||
    e.name === 'KafkaJSConnectionClosedError' ||
    e.name === 'KafkaJSRequestTimeoutError' ||
    e.code === 'ECONNREFUSED'
  );
}

/**
 * `cluster` with `findGroupCoordinator` answered from what it found in the last `ttlMs` (per group id and
 * coordinator type) while that broker's connection is up and no request to it failed with `staleCoordinator`; a
 * lookup in flight is shared, a failed one forgotten.
 */
export function cachingCoordinators<C extends CoordinatorCluster>(
  cluster: C,
  ttlMs = COORDINATOR_LOOKUP_TTL_MS,
  now: () => number = () => performance.now(),
): C {
  const remembered = new Map<string, Remembered>();
  const forget = (key: string, entry: Remembered): void => {
    if (remembered.get(key) === entry) remembered.delete(key);
  };
  const lookUp = (key: string, lookup: CoordinatorLookup): Promise<CoordinatorBroker> => {
    const entry: Remembered = {
      broker: cluster.findGroupCoordinator(lookup).then((broker) => {
        entry.foundAt = now();
        return forgottenOnStaleError(broker, () => forget(key, entry));
      }),
      foundAt: undefined,
    };
    remembered.set(key, entry);
    entry.broker.catch(() => forget(key, entry));
    return entry.broker;
  };
  const findGroupCoordinator = (lookup: CoordinatorLookup): Promise<CoordinatorBroker> => {
    const key = `${lookup.coordinatorType ?? 0}:${lookup.groupId}`;
    const hit = remembered.get(key);
    if (hit === undefined || (hit.foundAt !== undefined && now() - hit.foundAt >= ttlMs))
      return lookUp(key, lookup);
    return hit.broker.then((broker) => (broker.isConnected?.() === false ? lookUp(key, lookup) : broker));
  };
  return new Proxy(cluster, {
    get(target, property, receiver) {
      if (property === 'findGroupCoordinator') return findGroupCoordinator;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** `broker` whose requests call `forget` when they fail with `staleCoordinator` (the error is thrown on). */
function forgottenOnStaleError(broker: CoordinatorBroker, forget: () => void): CoordinatorBroker {
  return new Proxy(broker, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (result instanceof Promise)
          result.catch((error: unknown) => {
            if (staleCoordinator(error)) forget();
          });
        return result;
      };
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
