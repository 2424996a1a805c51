import { loadKafkajs, type Message } from '@tributary/kafka';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeadLetterWriter, isPermanentKafkaError } from '../../src/connector/dead-letter-writer.js';
import { NO_RETRY_DEADLINE, RetryPolicy } from '../../src/retry/retry-policy.js';

const {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} = loadKafkajs();

afterEach(() => {
  vi.useRealTimers();
});

/** A broker error as kafkajs builds it from an error code (retriable as kafkajs marks it). */
function protocolError(type: string, retriable: boolean): Error {
  return new KafkaJSProtocolError(
    Object.assign(new Error(`${type} from the broker`), { type, code: 1, retriable }),
  );
}

/** What the producer's retrier throws for a non-retriable error: the error wrapped, as `cause`. */
function nonRetriable(cause: Error): Error {
  const Wrapper = KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error;
  return new Wrapper(cause, { cause });
}

const kafkaDown = (): Error =>
  new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error: ECONNREFUSED'), {
    retryCount: 5,
    retryTime: 3000,
  });

function setup(send: (messages: Message[]) => Promise<void>, maxBatchBytes?: number) {
  const retries: Array<{ attempt: number; delayMs: number; waiting: number }> = [];
  const writer = new DeadLetterWriter({
    send,
    // Full window every time (random 0.999…): 100, 200, 400, 800, 1000, 1000 … ms.
    policy: new RetryPolicy(
      { initialDelayMs: 100, maxDelayMs: 1000, deadlineMs: NO_RETRY_DEADLINE },
      () => 0.9999,
    ),
    onRetry: (_error, attempt, delayMs, waiting) => retries.push({ attempt, delayMs, waiting }),
    ...(maxBatchBytes === undefined ? {} : { maxBatchBytes }),
  });
  return { writer, retries };
}

const message = (n: number, bytes = 1): Message => ({ key: `k${n}`, value: Buffer.alloc(bytes, n) });
const keys = (messages: Message[]): string[] => messages.map((m) => String(m.key));

describe('DeadLetterWriter', () => {
  it('writes in order, batching what waits, and resolves each write only once its batch is on the topic', async () => {
    const sent: string[][] = [];
    let release: () => void = () => undefined;
    const { writer } = setup(async (messages) => {
      sent.push(keys(messages));
      await new Promise<void>((resolve) => (release = resolve));
    });
    const done: number[] = [];
    const writes = [0, 1, 2].map((n) => writer.write(message(n)).then(() => done.push(n)));
    await Promise.resolve();
    expect(sent).toEqual([['k0']]);
    expect(writer.waiting).toBe(3);
    release();
    await writes[0];
    await vi.waitFor(() => expect(sent).toEqual([['k0'], ['k1', 'k2']]));
    expect(done).toEqual([0]);
    release();
    await Promise.all(writes);
    expect(done).toEqual([0, 1, 2]);
    expect(writer.waiting).toBe(0);
    await writer.idle();
  });

  it('keeps a batch under maxBatchBytes (a larger message goes alone)', async () => {
    const sent: string[][] = [];
    let gate: Promise<void> = new Promise(() => undefined);
    const { writer } = setup(async (messages) => {
      sent.push(keys(messages));
      if (sent.length === 1) await gate;
    }, 100);
    let open: () => void = () => undefined;
    gate = new Promise((resolve) => (open = resolve));
    const first = writer.write(message(0));
    const rest = [writer.write(message(1, 40)), writer.write(message(2, 40)), writer.write(message(3, 500))];
    rest.push(writer.write(message(4, 10)));
    open();
    await Promise.all([first, ...rest]);
    expect(sent).toEqual([['k0'], ['k1', 'k2'], ['k3'], ['k4']]);
  });

  it('retries a send failing while Kafka is down with growing backoff, never resolving before it succeeds', async () => {
    vi.useFakeTimers();
    let failures = 4;
    const sent: string[][] = [];
    const { writer, retries } = setup(async (messages) => {
      sent.push(keys(messages));
      if (failures-- > 0) throw kafkaDown();
    });
    let written = false;
    const write = writer.write(message(7)).then(() => (written = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(retries).toEqual([{ attempt: 1, delayMs: 99, waiting: 1 }]);
    await vi.advanceTimersByTimeAsync(99 + 199 + 399);
    expect(retries.map((r) => r.delayMs)).toEqual([99, 199, 399, 799]);
    expect(written).toBe(false);
    expect(writer.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(798);
    expect(written).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await write;
    expect(written).toBe(true);
    expect(sent).toHaveLength(5);
    expect(sent.every((s) => s[0] === 'k7')).toBe(true);
  });

  it('rejects only the message the topic refuses for good, sending the rest of its batch one by one', async () => {
    const sent: string[][] = [];
    let first = true;
    const { writer, retries } = setup(async (messages) => {
      sent.push(keys(messages));
      if (first) {
        first = false;
        await new Promise((r) => setTimeout(r, 10));
        return;
      }
      if (messages.some((m) => String(m.key) === 'k2'))
        throw nonRetriable(protocolError('MESSAGE_TOO_LARGE', false));
    });
    const warmup = writer.write(message(0));
    const results = await Promise.allSettled([1, 2, 3].map((n) => writer.write(message(n))));
    await warmup;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'TRIB_SINK_DEAD_LETTER_FAILED',
      retriable: false,
      message: expect.stringContaining('MESSAGE_TOO_LARGE from the broker'),
    });
    expect(sent).toEqual([['k0'], ['k1', 'k2', 'k3'], ['k1'], ['k2'], ['k3']]);
    expect(retries).toEqual([]);
  });

  it('close() stops retrying and rejects what is not written as retriable; idle() resolves', async () => {
    vi.useFakeTimers();
    const { writer } = setup(async () => {
      throw kafkaDown();
    });
    const writes = [writer.write(message(1)), writer.write(message(2))].map((w) =>
      w.then(
        () => 'written',
        (e: unknown) => e,
      ),
    );
    await vi.advanceTimersByTimeAsync(1000);
    const idle = writer.idle();
    writer.close();
    expect(await writes[0]).toMatchObject({ code: 'TRIB_SINK_DEAD_LETTER_FAILED', retriable: true });
    expect(await writes[1]).toMatchObject({ code: 'TRIB_SINK_DEAD_LETTER_FAILED', retriable: true });
    await idle;
    expect(writer.waiting).toBe(0);
    await expect(writer.write(message(3))).rejects.toMatchObject({ retriable: true });
  });
});

describe('isPermanentKafkaError', () => {
  it('is true for broker errors kafkajs marks non-retriable, and programming errors', () => {
    expect(isPermanentKafkaError(nonRetriable(protocolError('MESSAGE_TOO_LARGE', false)))).toBe(true);
    expect(isPermanentKafkaError(protocolError('TOPIC_AUTHORIZATION_FAILED', false))).toBe(true);
    expect(isPermanentKafkaError(nonRetriable(new TypeError('bad header')))).toBe(true);
  });

  it('is false for Kafka being unreachable, exhausted retries of retriable errors and unknown errors', () => {
    expect(isPermanentKafkaError(kafkaDown())).toBe(false);
    expect(isPermanentKafkaError(new KafkaJSConnectionError('ECONNREFUSED'))).toBe(false);
    expect(isPermanentKafkaError(protocolError('NOT_LEADER_FOR_PARTITION', true))).toBe(false);
    expect(isPermanentKafkaError(new Error('socket hang up'))).toBe(false);
    expect(isPermanentKafkaError(undefined)).toBe(false);
  });
});
