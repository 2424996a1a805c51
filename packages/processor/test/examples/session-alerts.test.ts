import { encodeClickstreamEvent } from '@tributary/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { SIDE_OUTPUT_HEADERS } from '../../src/index.js';
import { JobTestDriver, type TestRecordInput } from '../../src/testing/index.js';
import {
  SESSION_ALERT_TOPICS,
  sessionAlertsJob,
  type ClickBurstAlert,
} from '../../examples/session-alerts/job.js';

const T0 = Date.UTC(2024, 0, 1);
const S = 1_000;
/**
 * Late enough for every partition to be idle and every session closed: the emission watermark then follows the
 * clock (now − 5 s out-of-orderness − 30 s idleness), past the last session's end (110 s).
 */
const ALL_CLOSED_MS = T0 + 5 * 60_000;
const THRESHOLD = 3;
const settings = { applicationId: 'click-alerts', brokers: ['127.0.0.1:9092'] };

const newDriver = () =>
  new JobTestDriver(sessionAlertsJob(settings, { threshold: THRESHOLD }).toStreamJobOptions(), {
    partitions: { [SESSION_ALERT_TOPICS.events]: 2 },
    startTimeMs: T0, // the Kafka timestamp of every piped record: event times are checked against it
  });

let nextId = 0;
/** A clickstream event as the producer sends it: protobuf, keyed by user_id (partition by the key). */
function event(
  userId: string,
  seconds: number,
  eventType = 'CLICK',
  eventId = `e${nextId++}`,
): TestRecordInput {
  return {
    key: userId,
    value: Buffer.from(
      encodeClickstreamEvent({ userId, pageUrl: '/p', eventType, eventId, timestamp: T0 + seconds * S }),
    ),
  };
}

/**
 * u1: 4 clicks within 6 s (and a view) → alert. u2: 2 clicks among views. u3: 3 clicks, a 13 s pause, 3 clicks:
 * two sessions of 3. u4: 4 clicks out of order → alert. u5: 4 records of which one is a duplicate: 3 clicks.
 * Then u1 clicks at 100 s (its partition's watermark passes 95 s) and a click of u1 at 1 s arrives: late.
 */
function clicks(): TestRecordInput[] {
  return [
    event('u1', 0),
    event('u1', 2),
    event('u1', 3, 'VIEW'),
    event('u1', 4),
    event('u1', 6),
    ...[0, 3].map((s) => event('u2', s)),
    ...[1, 2, 4].map((s) => event('u2', s, 'VIEW')),
    ...[0, 1, 2, 15, 16, 17].map((s) => event('u3', s)),
    ...[20, 24, 22, 26].map((s) => event('u4', s)),
    event('u5', 0, 'CLICK', 'u5-a'),
    event('u5', 1, 'CLICK', 'u5-b'),
    event('u5', 1, 'CLICK', 'u5-b'), // sent twice
    event('u5', 2, 'CLICK', 'u5-c'),
    { key: 'u6', value: Buffer.from([0xff, 0xff, 0xff]) }, // not a ClickstreamEvent
    event('u1', 100),
    event('u1', 1), // its session closed at 95 s of watermark
  ];
}

const ALERTS: ClickBurstAlert[] = [
  { userId: 'u1', clicks: 4, threshold: THRESHOLD, firstClickAt: T0, lastClickAt: T0 + 6 * S },
  { userId: 'u4', clicks: 4, threshold: THRESHOLD, firstClickAt: T0 + 20 * S, lastClickAt: T0 + 26 * S },
];

const decode = (value: Buffer) => JSON.parse(value.toString('utf8')) as ClickBurstAlert;
const byUser = (alerts: ClickBurstAlert[]) => [...alerts].sort((a, b) => (a.userId < b.userId ? -1 : 1));

let driver: JobTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

describe('example: alerts on more than N clicks by one user within a 10-second session', () => {
  it('plans one stage: the topic is keyed by user_id, the session key', () => {
    const plan = sessionAlertsJob(settings, { threshold: THRESHOLD });
    expect(plan.physical.kind).toBe('single-stage');
    expect(plan.physical.tasks).toEqual(['SessionWindowTask']);
  });

  it('raises exactly the alerts of the sessions over the threshold; late and malformed events go aside', async () => {
    driver = newDriver();
    await driver.pipeAll(SESSION_ALERT_TOPICS.events, clicks());
    await driver.setTime(ALL_CLOSED_MS);
    expect(byUser(driver.readValues('results', decode))).toEqual(ALERTS);

    const late = driver.readOutput(SESSION_ALERT_TOPICS.late);
    expect(late.map((r) => r.key!.toString())).toEqual(['u1']);
    expect(late[0]!.headers[SIDE_OUTPUT_HEADERS.lateReason]).toBe('window-closed');
    const dead = driver.readOutput(SESSION_ALERT_TOPICS.deadLetter);
    expect(dead.map((r) => [r.key!.toString(), r.headers[SIDE_OUTPUT_HEADERS.errorCode]])).toEqual([
      ['u6', 'TRIB_SCHEMA_DECODE_FAILED'],
    ]);
  });

  it('a jump to the far future closes every session with the same alerts, in a bounded number of rounds', async () => {
    driver = newDriver();
    await driver.pipeAll(SESSION_ALERT_TOPICS.events, clicks());
    // A year at the 200 ms commit interval is 158 million rounds; the idle watermarks follow the clock, so every
    // round writes a changelog entry, and only the stride bounds the work.
    await driver.setTime(T0 + 365 * 24 * 3_600_000);
    expect(byUser(driver.readValues('results', decode))).toEqual(ALERTS);
  });

  it('a threshold of 4 raises none of them', async () => {
    driver = new JobTestDriver(sessionAlertsJob(settings, { threshold: 4 }).toStreamJobOptions(), {
      partitions: { [SESSION_ALERT_TOPICS.events]: 2 },
      startTimeMs: T0,
    });
    await driver.pipeAll(SESSION_ALERT_TOPICS.events, clicks());
    await driver.setTime(ALL_CLOSED_MS);
    expect(driver.readOutput('results')).toEqual([]);
  });

  it('crashed and restarted between commits, it raises the same alerts exactly once', async () => {
    driver = newDriver();
    const all = clicks();
    let lost = 0;
    for (let i = 0; i < all.length; i += 5) {
      await driver.pipeAll(SESSION_ALERT_TOPICS.events, all.slice(i, i + 5));
      if (i % 10 === 0) await driver.advanceTime(200); // a commit; the next chunk is lost in the crash
      const committed = [0, 1].reduce((sum, p) => sum + (driver!.committedOffset('click-alerts', p) ?? 0), 0);
      lost += Math.min(i + 5, all.length) - committed;
      await driver.crash();
      await driver.restart();
    }
    expect(lost, 'events processed but not committed when the job crashed').toBeGreaterThan(0);
    await driver.setTime(ALL_CLOSED_MS);
    const alerts = driver.readValues('results', decode);
    expect(alerts).toHaveLength(ALERTS.length);
    expect(byUser(alerts)).toEqual(ALERTS);
    expect(driver.readOutput(SESSION_ALERT_TOPICS.late)).toHaveLength(1);
    expect(driver.readOutput(SESSION_ALERT_TOPICS.deadLetter)).toHaveLength(1);
  });

  it('refuses a threshold that is not a non-negative integer', () => {
    expect(() => sessionAlertsJob(settings, { threshold: -1 })).toThrow(/threshold/);
    expect(() => sessionAlertsJob(settings, { threshold: 2.5 })).toThrow(/threshold/);
  });
});
