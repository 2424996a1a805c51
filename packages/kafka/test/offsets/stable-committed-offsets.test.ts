import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createAdminWithCluster } from '../../src/kafkajs/admin-cluster.js';
import { encodeOffsetFetchV7Request } from '../../src/offsets/offset-fetch-v7.js';
import { fetchStableCommittedOffsets } from '../../src/offsets/stable-committed-offsets.js';

interface Answer {
  errorCode?: number;
  /** partition → [offset, error code] of topic `events`. */
  partitions?: Record<number, [number, number]>;
}

/** An OffsetFetch v7 response after the correlation id (the codec's own test checks the layout by hand). */
function responseBytes({ errorCode = 0, partitions = {} }: Answer): Buffer {
  const entries = Object.entries(partitions).map(([partition, [offset, code]]) => {
    const entry = Buffer.alloc(21);
    entry.writeInt32BE(Number(partition), 0);
    entry.writeBigInt64BE(BigInt(offset), 4);
    entry.writeInt32BE(-1, 12);
    entry.writeUInt8(0, 16); // metadata null
    entry.writeInt16BE(code, 17);
    entry.writeUInt8(0, 19); // tags
    return entry.subarray(0, 20);
  });
  const status = Buffer.alloc(3);
  status.writeInt16BE(errorCode, 0);
  return Buffer.concat([
    Buffer.from('00' + '00000000' + '02' + '07', 'hex'),
    Buffer.from('events'),
    Buffer.of(entries.length + 1),
    ...entries,
    Buffer.of(0),
    status,
  ]);
}

/** A kafkajs admin and cluster whose coordinator gives `answers` in turn (the last one again and again). */
function fake(answers: ReadonlyArray<Answer | Error>, maxVersion = 9) {
  let now = 0;
  const slept: number[] = [];
  const warnings: string[] = [];
  const calls = { find: 0, refresh: 0, disconnect: 0, fallback: 0, requests: [] as Buffer[] };
  const broker = {
    versions: { 9: { minVersion: 0, maxVersion } },
    connectionPool: {
      send: async ({ request, response }: { request: FakeRequest; response: FakeResponse }) => {
        calls.requests.push((await request.encode()).buffer);
        const answer = answers[Math.min(calls.requests.length - 1, answers.length - 1)]!;
        if (answer instanceof Error) throw answer;
        return response.parse(await response.decode(responseBytes(answer)));
      },
    },
    disconnect: async () => void calls.disconnect++,
  };
  const cluster = {
    findGroupCoordinator: async () => (calls.find++, broker),
    refreshMetadata: async () => void calls.refresh++,
    addTargetTopic: async () => undefined,
    refreshMetadataIfNecessary: async () => undefined,
    findTopicPartitionMetadata: () => [{ partitionId: 2 }, { partitionId: 0 }, { partitionId: 1 }],
  };
  const kafkajsAdmin = {
    fetchOffsets: async ({ topics }: { topics: string[] }) => {
      calls.fallback++;
      return topics.map((topic) => ({
        topic,
        partitions: [0, 1].map((partition) => ({ partition, offset: '7', metadata: '' })),
      }));
    },
    logger: () => ({ warn: (message: string) => warnings.push(message) }),
  };
  const admin = createAdminWithCluster(() => kafkajsAdmin)({ cluster }) as unknown as Admin;
  const options = {
    timeoutMs: 5_000,
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
  return { admin, options, calls, slept, warnings };
}

interface FakeRequest {
  apiKey: number;
  apiVersion: number;
  encode(): Promise<{ buffer: Buffer }>;
}
interface FakeResponse {
  decode(payload: Buffer): Promise<unknown>;
  parse(decoded: unknown): Promise<unknown>;
}

const EVENTS_1 = [{ topic: 'events', partitions: [1] }];

describe('fetchStableCommittedOffsets', () => {
  it('sends OffsetFetch v7 with require_stable and returns the offsets as kafkajs does', async () => {
    const f = fake([{ partitions: { 1: [42, 0] } }]);
    await expect(fetchStableCommittedOffsets(f.admin, 'app', EVENTS_1, f.options)).resolves.toEqual([
      { topic: 'events', partitions: [{ partition: 1, offset: '42', metadata: null }] },
    ]);
    const body = encodeOffsetFetchV7Request({ groupId: 'app', topics: EVENTS_1, requireStable: true });
    expect(f.calls.requests).toEqual([Buffer.concat([Buffer.of(0), body])]);
    expect(f.slept).toEqual([]);
  });

  it('asks again while a transactional offset commit is pending (UNSTABLE_OFFSET_COMMIT), then returns the new offset', async () => {
    const f = fake([
      { partitions: { 1: [-1, 88] } },
      { partitions: { 1: [-1, 88] } },
      { partitions: { 1: [43, 0] } },
    ]);
    const offsets = await fetchStableCommittedOffsets(f.admin, 'app', EVENTS_1, f.options);
    expect(offsets[0]!.partitions[0]!.offset).toBe('43');
    expect(f.slept).toEqual([100, 200]);
    expect(f.calls).toMatchObject({ find: 3, refresh: 0 });
  });

  it('finds the coordinator again after a metadata refresh when it moved (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE)', async () => {
    const f = fake([{ errorCode: 16 }, { errorCode: 15 }, { errorCode: 14 }, { partitions: { 1: [9, 0] } }]);
    const offsets = await fetchStableCommittedOffsets(f.admin, 'app', EVENTS_1, f.options);
    expect(offsets[0]!.partitions[0]!.offset).toBe('9');
    expect(f.calls).toMatchObject({ find: 4, refresh: 2 });
  });

  it('retries a lost connection, disconnecting the broker as kafkajs does', async () => {
    const closed = Object.assign(new Error('Closed connection'), {
      name: 'KafkaJSConnectionClosedError',
      retriable: true,
    });
    const f = fake([closed, { partitions: { 1: [9, 0] } }]);
    await expect(fetchStableCommittedOffsets(f.admin, 'app', EVENTS_1, f.options)).resolves.toHaveLength(1);
    expect(f.calls).toMatchObject({ disconnect: 1, refresh: 1 });
  });

  it('gives up after timeoutMs with a retriable TRIB_KAFKA_OFFSETS_NOT_STABLE naming the partition', async () => {
    const f = fake([{ partitions: { 1: [-1, 88] } }]);
    const failure = fetchStableCommittedOffsets(f.admin, 'app', EVENTS_1, { ...f.options, maxRetryMs: 800 });
    await expect(failure).rejects.toMatchObject({
      code: 'TRIB_KAFKA_OFFSETS_NOT_STABLE',
      retriable: true,
      message: expect.stringContaining(
        'a transactional offset commit is still pending for events partition 1',
      ),
      cause: { type: 'UNSTABLE_OFFSET_COMMIT' },
    });
    expect(f.slept.reduce((a, b) => a + b, 0)).toBe(5_000);
    expect(Math.max(...f.slept)).toBe(800);
  });

  it('fails at once with TRIB_KAFKA_OFFSET_FETCH_FAILED on an error no retry fixes', async () => {
    const f = fake([{ partitions: { 1: [-1, 88], 0: [-1, 29] } }]);
    await expect(fetchStableCommittedOffsets(f.admin, 'app', EVENTS_1, f.options)).rejects.toMatchObject({
      code: 'TRIB_KAFKA_OFFSET_FETCH_FAILED',
      retriable: false,
      cause: { type: 'TOPIC_AUTHORIZATION_FAILED' },
    });
    expect(f.slept).toEqual([]);
  });

  it("reads every partition of a topic given without partitions, from the admin's metadata", async () => {
    const f = fake([{ partitions: { 0: [1, 0], 1: [2, 0], 2: [3, 0] } }]);
    await fetchStableCommittedOffsets(f.admin, 'app', [{ topic: 'events' }], f.options);
    const body = encodeOffsetFetchV7Request({
      groupId: 'app',
      topics: [{ topic: 'events', partitions: [0, 1, 2] }],
      requireStable: true,
    });
    expect(f.calls.requests[0]!.subarray(1)).toEqual(body);
  });

  it("falls back to kafkajs' fetchOffsets when the coordinator lacks OffsetFetch v7, warning once", async () => {
    const f = fake([], 6);
    for (let i = 0; i < 2; i++) {
      await expect(fetchStableCommittedOffsets(f.admin, 'app', EVENTS_1, f.options)).resolves.toEqual([
        { topic: 'events', partitions: [{ partition: 1, offset: '7', metadata: null }] },
      ]);
    }
    expect(f.calls).toMatchObject({ fallback: 2, requests: [] });
    expect(f.warnings).toEqual([expect.stringContaining('does not support OffsetFetch v7 (require_stable)')]);
  });

  it("with withoutStableFetch 'fail', refuses a coordinator without OffsetFetch v7 instead of falling back", async () => {
    const f = fake([], 6);
    const options = { ...f.options, withoutStableFetch: 'fail' as const };
    await expect(fetchStableCommittedOffsets(f.admin, 'app', EVENTS_1, options)).rejects.toMatchObject({
      code: 'TRIB_KAFKA_OFFSET_FETCH_FAILED',
      message: expect.stringContaining('does not support OffsetFetch v7'),
    });
    expect(f.calls).toMatchObject({ fallback: 0, requests: [] });
  });

  it("wraps an error of the coordinator lookup no retry fixes, kafkajs' error as its cause", async () => {
    const f = fake([]);
    const refused = Object.assign(new Error('SASL authentication failed'), {
      name: 'KafkaJSSASLAuthenticationError',
    });
    const cluster = (f.admin as unknown as Record<symbol, { findGroupCoordinator: () => Promise<never> }>)[
      Symbol.for('tributary.kafkajs-admin-cluster')
    ]!;
    cluster.findGroupCoordinator = async () => {
      throw refused;
    };
    await expect(fetchStableCommittedOffsets(f.admin, 'app', EVENTS_1, f.options)).rejects.toMatchObject({
      code: 'TRIB_KAFKA_OFFSET_FETCH_FAILED',
      cause: refused,
    });
  });

  it('refuses bad arguments naming them, and an admin not made by createKafkaClient', async () => {
    const f = fake([]);
    const bad: Array<[unknown, unknown, object, RegExp]> = [
      ['', EVENTS_1, {}, /groupId must not be empty/],
      ['app', [{ topic: 'events', partitions: [-1] }], {}, /topics\.0\.partitions\.0/],
      ['app', EVENTS_1, { timeoutMs: 1.5 }, /timeoutMs must be an integer/],
      ['app', EVENTS_1, { initialRetryMs: 0 }, /initialRetryMs must be >= 1/],
    ];
    for (const [groupId, topics, options, message] of bad) {
      await expect(
        fetchStableCommittedOffsets(f.admin, groupId as string, topics as [], options),
      ).rejects.toMatchObject({ code: 'TRIB_KAFKA_INVALID_OPTION', message: expect.stringMatching(message) });
    }
    await expect(fetchStableCommittedOffsets({} as Admin, 'app', EVENTS_1)).rejects.toMatchObject({
      code: 'TRIB_KAFKA_KAFKAJS_NOT_FIXABLE',
    });
  });
});
