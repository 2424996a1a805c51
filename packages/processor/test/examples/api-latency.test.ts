import { afterEach, describe, expect, it } from 'vitest';
import { SIDE_OUTPUT_HEADERS } from '../../src/index.js';
import { JobTestDriver, type TestRecord } from '../../src/testing/index.js';
import type { ApiRequest } from '../../examples/api-latency/api-request.js';
import {
  API_LATENCY_TOPICS,
  apiLatencyJob,
  type EndpointLatencyRecord,
} from '../../examples/api-latency/job.js';

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0); // a whole minute: windows start every minute
const S = 1_000;
const M = 60_000;
const FAR_FUTURE_MS = T0 + 365 * 24 * 3_600_000; // every partition idle, every window closed

const job = () =>
  apiLatencyJob({ applicationId: 'api-latency', brokers: ['127.0.0.1:9092'] }).toStreamJobOptions();
const newDriver = () =>
  new JobTestDriver(job(), { partitions: { [API_LATENCY_TOPICS.requests]: 3 }, startTimeMs: T0 });

let nextId = 0;
/** A request record on `partition` (the gateway keys by request_id; the tests place each record by hand). */
function request(partition: number, fields: Partial<ApiRequest> & { timestamp: number }) {
  const r: ApiRequest = {
    endpoint: '/checkout',
    status: 200,
    latency_ms: 10,
    request_id: `req-${nextId++}`,
    ...fields,
  };
  return { key: r.request_id, value: JSON.stringify(r), partition };
}

/**
 * The input: /checkout in minute 0 (10 requests, 10…100 ms, one 503) spread over the 3 partitions, out of order;
 * /checkout in minute 4 (2 requests); /search in minute 1; a duplicate; an event on partition 0 late for all its
 * windows once partition 0 is past minute 6; two malformed records.
 */
function requests() {
  const minute0 = [40, 10, 30, 20, 50, 70, 60, 100, 90, 80].map((latency, i) =>
    request(i % 3, { latency_ms: latency, timestamp: T0 + (10 - i) * S, status: latency === 70 ? 503 : 200 }),
  );
  const duplicate = { ...minute0[4]! }; // the gateway retried a send: same request_id, same partition
  return {
    early: [
      ...minute0,
      duplicate,
      request(1, { endpoint: '/search', latency_ms: 5, timestamp: T0 + M + 5 * S }),
      request(2, { endpoint: '/search', latency_ms: 7, status: 500, timestamp: T0 + M + 6 * S }),
      { key: 'bad-1', value: '{"endpoint": "/checkout", "status": 200', partition: 2 },
      request(2, { endpoint: '', timestamp: T0 + 2 * S }),
    ],
    later: [
      request(0, { latency_ms: 300, timestamp: T0 + 4 * M + 30 * S }),
      request(1, { latency_ms: 200, timestamp: T0 + 4 * M + 40 * S }),
      request(0, { endpoint: '/health', latency_ms: 1, timestamp: T0 + 6 * M + 10 * S }), // partition 0 at minute 6
      request(0, { latency_ms: 999, timestamp: T0 + 30 * S }), // every window of it ended: late
    ],
  };
}

const minute0Checkout = { requests: 10, errors: 1, p50: 50, p95: 100, p99: 100, max: 100 };
const minute4Checkout = { requests: 2, errors: 0, p50: 200, p95: 300, p99: 300, max: 300 };
const bothCheckout = { requests: 12, errors: 1, p50: 60, p95: 300, p99: 300, max: 300 };
const search = { requests: 2, errors: 1, p50: 5, p95: 7, p99: 7, max: 7 };
const health = { requests: 1, errors: 0, p50: 1, p95: 1, p99: 1, max: 1 };

/** Every (endpoint, 5-minute window) with its figures, windows starting every minute. */
function expected(): EndpointLatencyRecord[] {
  const rows: EndpointLatencyRecord[] = [];
  const add = (
    endpoint: string,
    fromMinute: number,
    toMinute: number,
    figures: (start: number) => object,
  ) => {
    for (let m = fromMinute; m <= toMinute; m++) {
      const windowStart = T0 + m * M;
      rows.push({
        endpoint,
        windowStart,
        windowEnd: windowStart + 5 * M,
        ...figures(m),
      } as EndpointLatencyRecord);
    }
  };
  add('/checkout', -4, 4, (m) => (m < 0 ? minute0Checkout : m === 0 ? bothCheckout : minute4Checkout));
  add('/search', -3, 1, () => search);
  add('/health', 2, 6, () => health);
  return sortRows(rows);
}

function sortRows(rows: EndpointLatencyRecord[]): EndpointLatencyRecord[] {
  return [...rows].sort(
    (a, b) =>
      a.windowStart - b.windowStart || (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0),
  );
}

const decode = (value: Buffer) => JSON.parse(value.toString('utf8')) as EndpointLatencyRecord;
const header = (r: TestRecord, name: string) => r.headers[name];

let driver: JobTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

describe('example: p95 latency per endpoint (hopping 5-minute windows every minute)', () => {
  it('plans two stages: the input is keyed by request_id, the aggregation by endpoint', () => {
    const plan = apiLatencyJob({ applicationId: 'api-latency', brokers: ['127.0.0.1:9092'] });
    expect(plan.physical.kind).toBe('two-stage');
    expect(plan.physical.outputs).toEqual({
      repartition: 'api-latency-repartition',
      results: 'api-latency',
      late: 'api-requests-late',
      'dead-letter': 'api-requests-dlq',
      'late-partials': 'api-latency-late-partials',
    });
  });

  it('writes each window once, exactly, merged across partitions; late and malformed requests go aside', async () => {
    driver = newDriver();
    const input = requests();
    await driver.pipeAll(API_LATENCY_TOPICS.requests, input.early);
    await driver.pipeAll(API_LATENCY_TOPICS.requests, input.later);
    await driver.setTime(FAR_FUTURE_MS);

    const results = driver.readValues('results', decode);
    expect(sortRows(results)).toEqual(expected());
    expect(results).toHaveLength(expected().length); // each window once: 'final' emission

    const late = driver.readOutput(API_LATENCY_TOPICS.late);
    expect(late.map((r) => JSON.parse(r.value!.toString()).latency_ms)).toEqual([999]);
    expect(header(late[0]!, SIDE_OUTPUT_HEADERS.lateReason)).toBe('window-closed');

    const dead = driver.readOutput(API_LATENCY_TOPICS.deadLetter);
    expect(
      dead.map((r) => [header(r, SIDE_OUTPUT_HEADERS.errorCode), header(r, SIDE_OUTPUT_HEADERS.errorReason)]),
    ).toEqual([
      ['API_REQUEST_NOT_JSON', 'the value is not JSON'],
      ['API_REQUEST_INVALID', 'endpoint must be a string of 1 to 256 characters'],
    ]);
  });

  it('crashed and restarted between commits, it writes the same results exactly once', async () => {
    driver = newDriver();
    const input = requests();
    const all = [...input.early, ...input.later];
    let lost = 0;
    for (let i = 0; i < all.length; i += 4) {
      await driver.pipeAll(API_LATENCY_TOPICS.requests, all.slice(i, i + 4));
      if (i % 8 === 0) await driver.advanceTime(200); // a commit; the next chunk is lost in the crash
      const committed = [0, 1, 2].reduce(
        (sum, p) => sum + (driver!.committedOffset('api-latency', p) ?? 0),
        0,
      );
      lost += Math.min(i + 4, all.length) - committed;
      await driver.crash();
      await driver.restart();
    }
    expect(lost, 'requests processed but not committed when the job crashed').toBeGreaterThan(0);
    await driver.setTime(FAR_FUTURE_MS);
    const results = driver.readValues('results', decode);
    expect(results).toHaveLength(expected().length);
    expect(sortRows(results)).toEqual(expected());
    expect(driver.readOutput(API_LATENCY_TOPICS.late)).toHaveLength(1);
    expect(driver.readOutput(API_LATENCY_TOPICS.deadLetter)).toHaveLength(2);
  });
});
