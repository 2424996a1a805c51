import {
  clickstreamCodec,
  count,
  session,
  streamJob,
  type EncodedResult,
  type StreamJobSettings,
  type StreamPlan,
  type WindowedResult,
} from '../../src/index.js';

/** The topics of the job. */
export const SESSION_ALERT_TOPICS = {
  events: 'clickstream-events',
  alerts: 'click-alerts',
  late: 'click-alerts-late',
  deadLetter: 'click-alerts-dlq',
} as const;

/** A session ends after this much event time without a click from its user. */
export const SESSION_GAP_MS = 10_000;

/** One alert: a user clicked more than `threshold` times without a pause of `SESSION_GAP_MS`. */
export interface ClickBurstAlert {
  readonly userId: string;
  readonly clicks: number;
  readonly threshold: number;
  /** The session's first and last click, epoch ms. */
  readonly firstClickAt: number;
  readonly lastClickAt: number;
}

export interface SessionAlertOptions {
  /** An alert is raised for a session of more than this many clicks. */
  readonly threshold: number;
}

/** The record of one alert: key = user id, value = JSON. */
export function alertEncoder(threshold: number): (r: WindowedResult<number>) => EncodedResult {
  return (r) => {
    const alert: ClickBurstAlert = {
      userId: r.key,
      clicks: r.result,
      threshold,
      firstClickAt: r.windowStart,
      lastClickAt: r.windowEnd - SESSION_GAP_MS, // a session window ends one gap after its last event
    };
    return { key: Buffer.from(r.key), value: Buffer.from(JSON.stringify(alert)) };
  };
}

/**
 * Alerts on bursts of clicks: session windows per user (a 10-second gap) over `clickstream-events`, counting
 * clicks, keeping the sessions of more than `threshold` clicks. The topic is keyed by user_id, so the planner runs
 * one stage (sessions need every event of a user in one partition). An alert is written when its session closes:
 * 10 s after the user's last click, plus the 5 s of out-of-orderness.
 */
export function sessionAlertsJob(settings: StreamJobSettings, options: SessionAlertOptions): StreamPlan {
  const { threshold } = options;
  if (!Number.isSafeInteger(threshold) || threshold < 0)
    throw new RangeError(`threshold must be a non-negative integer (got ${String(threshold)})`);
  return streamJob(settings)
    .source(SESSION_ALERT_TOPICS.events, clickstreamCodec(), { partitionedBy: 'userId' })
    .filter((event) => event.eventType === 'CLICK')
    .dedupBy((event) => event.eventId)
    .keyBy('userId')
    .window(session({ gap: SESSION_GAP_MS }), { outOfOrderness: '5s' })
    .aggregate(count())
    .filter((clicks) => clicks.result > threshold)
    .to(SESSION_ALERT_TOPICS.alerts, alertEncoder(threshold), {
      late: SESSION_ALERT_TOPICS.late,
      deadLetter: SESSION_ALERT_TOPICS.deadLetter,
    });
}
