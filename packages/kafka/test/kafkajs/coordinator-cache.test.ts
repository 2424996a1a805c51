import { describe, expect, it } from 'vitest';
import {
  cachingCoordinators,
  staleCoordinator,
  type CoordinatorCluster,
} from '../../src/kafkajs/coordinator-cache.js';

interface FakeBroker {
  readonly nodeId: number;
  connected: boolean;
  isConnected(): boolean;
  /** A coordinator request that fails with `endTxnError` when set. */
  endTxn(): Promise<string>;
  endTxnError?: Error;
}

/** A cluster whose lookups are counted and answered by `answer` (a broker, or an error to throw). */
function fakeCluster(answer: (n: number) => FakeBroker | Error) {
  const lookups: Array<{ groupId: string; coordinatorType?: number }> = [];
  const cluster = {
    retry: { retries: 5 },
    async findGroupCoordinator(lookup: { groupId: string; coordinatorType?: number }) {
      lookups.push(lookup);
      const a = answer(lookups.length);
      if (a instanceof Error) throw a;
      return a;
    },
    findControllerBroker(this: { retry: unknown }) {
      return this.retry; // proves `this` is the cluster itself
    },
  };
  return { cluster, lookups };
}

const broker = (nodeId: number): FakeBroker => ({
  nodeId,
  connected: true,
  isConnected() {
    return this.connected;
  },
  async endTxn() {
    if (this.endTxnError !== undefined) throw this.endTxnError;
    return `ended on ${this.nodeId}`;
  },
});

const protocolError = (type: string) =>
  Object.assign(new Error(type), { name: 'KafkaJSProtocolError', type });

describe('cachingCoordinators', () => {
  it('answers repeated lookups within the TTL from the first, per group id and coordinator type', async () => {
    let t = 0;
    const { cluster, lookups } = fakeCluster((n) => broker(n));
    const cached = cachingCoordinators(cluster as CoordinatorCluster, 1_000, () => t);
    const txn = { groupId: 'stage-1-in-0', coordinatorType: 1 };
    const first = await cached.findGroupCoordinator(txn);
    t = 999;
    expect(await cached.findGroupCoordinator(txn)).toBe(first);
    // Another coordinator type or group id is its own lookup.
    const group = await cached.findGroupCoordinator({ groupId: 'stage-1-in-0' });
    expect(group).not.toBe(first);
    expect(lookups).toHaveLength(2);
    t = 1_000; // the TTL is over: asked again
    expect(await cached.findGroupCoordinator(txn)).not.toBe(first);
    expect(lookups).toHaveLength(3);
  });

  it('asks again when the remembered broker is disconnected', async () => {
    const { cluster, lookups } = fakeCluster((n) => broker(n));
    const cached = cachingCoordinators(cluster as CoordinatorCluster, 1_000, () => 0);
    const first = (await cached.findGroupCoordinator({ groupId: 'g' })) as FakeBroker;
    first.connected = false;
    const second = await cached.findGroupCoordinator({ groupId: 'g' });
    expect(second).not.toBe(first);
    expect(lookups).toHaveLength(2);
  });

  it('asks again after a request to the remembered broker says it is not the coordinator (any more)', async () => {
    const brokers: FakeBroker[] = [];
    const { cluster, lookups } = fakeCluster((n) => {
      const b = broker(n);
      brokers.push(b);
      return b;
    });
    const cached = cachingCoordinators(cluster as CoordinatorCluster, 1_000, () => 0);
    const txn = { groupId: 'tx', coordinatorType: 1 };
    const first = (await cached.findGroupCoordinator(txn)) as FakeBroker;
    await expect(first.endTxn()).resolves.toBe('ended on 1'); // requests go to the broker itself
    // Another error keeps it: only "not the coordinator" or "unreachable" mean a new lookup.
    brokers[0]!.endTxnError = protocolError('INVALID_TXN_STATE');
    await expect(first.endTxn()).rejects.toThrow('INVALID_TXN_STATE');
    expect(await cached.findGroupCoordinator(txn)).toBe(first);
    brokers[0]!.endTxnError = protocolError('NOT_COORDINATOR_FOR_GROUP');
    await expect(first.endTxn()).rejects.toThrow('NOT_COORDINATOR_FOR_GROUP'); // thrown on to kafkajs
    const second = (await cached.findGroupCoordinator(txn)) as FakeBroker;
    expect(second.nodeId).toBe(2);
    expect(lookups).toHaveLength(2);
  });

  it('takes moved, unavailable and unreachable coordinators for stale, nothing else', () => {
    for (const type of [
      'NOT_COORDINATOR_FOR_GROUP',
      'GROUP_COORDINATOR_NOT_AVAILABLE',
      'GROUP_LOAD_IN_PROGRESS',
    ])
      expect(staleCoordinator(protocolError(type))).toBe(true);
    for (const name of [
      'KafkaJSConnectionError',
      'KafkaJSConnectionClosedError',
      'KafkaJSRequestTimeoutError',
    ])
      expect(staleCoordinator(Object.assign(new Error('x'), { name }))).toBe(true);
    expect(staleCoordinator(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(staleCoordinator(protocolError('INVALID_PRODUCER_EPOCH'))).toBe(false);
    expect(staleCoordinator(undefined)).toBe(false);
  });

  it('shares a lookup in flight and forgets a failed one', async () => {
    const { cluster, lookups } = fakeCluster((n) =>
      n === 1 ? new Error('COORDINATOR_NOT_AVAILABLE') : broker(n),
    );
    const cached = cachingCoordinators(cluster as CoordinatorCluster, 1_000, () => 0);
    const [a, b] = await Promise.allSettled([
      cached.findGroupCoordinator({ groupId: 'g' }),
      cached.findGroupCoordinator({ groupId: 'g' }),
    ]);
    expect([a.status, b.status]).toEqual(['rejected', 'rejected']);
    expect(lookups).toHaveLength(1);
    await expect(cached.findGroupCoordinator({ groupId: 'g' })).resolves.toMatchObject({ nodeId: 2 });
    expect(lookups).toHaveLength(2);
  });

  it('passes every other property and method through, bound to the cluster', () => {
    const { cluster } = fakeCluster((n) => broker(n));
    const cached = cachingCoordinators(cluster as CoordinatorCluster) as unknown as typeof cluster;
    expect(cached.retry).toEqual({ retries: 5 });
    const { findControllerBroker } = cached;
    expect(findControllerBroker.call(undefined as never)).toEqual({ retries: 5 });
  });
});
