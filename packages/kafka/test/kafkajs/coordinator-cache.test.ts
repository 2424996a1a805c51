import { describe, expect, it } from 'vitest';
import { cachingCoordinators, type CoordinatorCluster } from '../../src/kafkajs/coordinator-cache.js';

interface FakeBroker {
  readonly nodeId: number;
  connected: boolean;
  isConnected(): boolean;
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
});

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
