import { EventEmitter } from 'node:events';
import type { Consumer, ConsumerRunConfig } from 'kafkajs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConsumerCrashPolicy,
  isPermanentConsumerError,
  runConsumerKeptAlive,
} from '../src/consumer-restarts.js';

const coordinatorNotFound = Object.assign(new Error('Failed to find group coordinator'), {
  name: 'KafkaJSGroupCoordinatorNotFound',
  retriable: false,
});
const authorization = Object.assign(new Error('Not authorized to access topics'), {
  name: 'KafkaJSProtocolError',
  type: 'TOPIC_AUTHORIZATION_FAILED',
  retriable: false,
});

describe('ConsumerCrashPolicy', () => {
  it('leaves the restart to kafkajs when kafkajs restarts', () => {
    const policy = new ConsumerCrashPolicy({ restartTimeoutMs: 1000, now: () => 0 });
    expect(policy.crashed(coordinatorNotFound, true)).toEqual({ action: 'kafkajs-restarts' });
  });

  it('restarts what kafkajs gives up on, with a doubling delay capped at maxDelayMs, until restartTimeoutMs', () => {
    let now = 0;
    const policy = new ConsumerCrashPolicy({ restartTimeoutMs: 10_000, now: () => now, maxDelayMs: 1000 });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const d = policy.crashed(coordinatorNotFound, false);
      expect(d.action).toBe('restart');
      if (d.action === 'restart') delays.push(d.delayMs);
      now += 1000;
    }
    expect(delays).toEqual([250, 500, 1000, 1000, 1000, 1000]);
    now = 10_000;
    expect(policy.restartFailed(coordinatorNotFound)).toEqual({ action: 'fail', reason: 'timeout' });
  });

  it('starts a new count once the consumer joined its group again', () => {
    let now = 0;
    const policy = new ConsumerCrashPolicy({ restartTimeoutMs: 5_000, now: () => now });
    policy.crashed(coordinatorNotFound, false);
    now = 4_000;
    policy.crashed(coordinatorNotFound, false);
    policy.recovered();
    now = 9_000;
    expect(policy.crashed(coordinatorNotFound, false)).toEqual({
      action: 'restart',
      delayMs: 250,
      attempt: 1,
    });
  });

  it('fails at once on authentication, authorization and a caller bug, found through causes', () => {
    const policy = new ConsumerCrashPolicy({ restartTimeoutMs: 60_000, now: () => 0 });
    expect(policy.crashed(authorization, false)).toEqual({ action: 'fail', reason: 'permanent' });
    const wrapped = Object.assign(new Error('retries exceeded'), {
      name: 'KafkaJSNonRetriableError',
      cause: Object.assign(new Error('SASL SCRAM authentication failed'), {
        name: 'KafkaJSSASLAuthenticationError',
      }),
    });
    expect(isPermanentConsumerError(wrapped)).toBe(true);
    expect(isPermanentConsumerError(new TypeError('x is not a function'))).toBe(true);
    expect(isPermanentConsumerError(coordinatorNotFound)).toBe(false);
    expect(isPermanentConsumerError('a string')).toBe(false);
  });
});

/** The parts of a kafkajs consumer the keeper uses: events, connect, run. */
class FakeConsumer extends EventEmitter {
  readonly events = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };
  connects = 0;
  runs = 0;
  failConnect: Error | undefined;
  async connect(): Promise<void> {
    this.connects += 1;
    if (this.failConnect !== undefined) throw this.failConnect;
  }
  async run(_config: ConsumerRunConfig): Promise<void> {
    this.runs += 1;
  }
  crash(error: unknown, restart: boolean): void {
    this.emit(this.events.CRASH, { payload: { error, restart } });
  }
  join(): void {
    this.emit(this.events.GROUP_JOIN, { payload: {} });
  }
}

describe('runConsumerKeptAlive', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects and runs again after a crash kafkajs does not restart, and fails after restartTimeoutMs', async () => {
    vi.useFakeTimers({ now: 0 });
    const consumer = new FakeConsumer();
    const restarts: number[] = [];
    const failures: string[] = [];
    await runConsumerKeptAlive(
      consumer as unknown as Consumer,
      {},
      {
        restartTimeoutMs: 3_000,
        now: () => Date.now(),
        active: () => true,
        onRestart: (_e, attempt) => restarts.push(attempt),
        onFail: (_e, reason) => failures.push(reason),
      },
    );
    expect(consumer.runs).toBe(1);
    consumer.crash(coordinatorNotFound, true); // kafkajs restarts this one itself
    await vi.advanceTimersByTimeAsync(10_000);
    expect(consumer.runs).toBe(1);
    consumer.crash(coordinatorNotFound, false);
    await vi.advanceTimersByTimeAsync(250);
    expect([consumer.connects, consumer.runs]).toEqual([1, 2]);
    consumer.failConnect = coordinatorNotFound; // the broker is still down: connecting fails
    consumer.crash(coordinatorNotFound, false);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(restarts).toEqual([1, 2, 3, 4]); // crashes since t=10 s: the 4th restart fails at 13.75 s, past 3 s
    expect(failures).toEqual(['timeout']);
    expect(consumer.runs).toBe(2);
  });

  it('does nothing once its owner stopped, and the returned function cancels a pending restart', async () => {
    vi.useFakeTimers({ now: 0 });
    const consumer = new FakeConsumer();
    let active = true;
    const failures: string[] = [];
    const cancel = await runConsumerKeptAlive(
      consumer as unknown as Consumer,
      {},
      {
        restartTimeoutMs: 60_000,
        active: () => active,
        onFail: (_e, reason) => failures.push(reason),
      },
    );
    consumer.crash(coordinatorNotFound, false);
    cancel();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(consumer.runs).toBe(1);
    active = false;
    consumer.crash(authorization, false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(failures).toEqual([]);
    consumer.join();
  });

  it('fails at once on a permanent error', async () => {
    const consumer = new FakeConsumer();
    const failures: string[] = [];
    await runConsumerKeptAlive(
      consumer as unknown as Consumer,
      {},
      {
        restartTimeoutMs: 60_000,
        active: () => true,
        onFail: (_e, reason) => failures.push(reason),
      },
    );
    consumer.crash(authorization, false);
    expect(failures).toEqual(['permanent']);
  });
});
