/** The allowed values of `event_type`. */
export const EVENT_TYPES = ['CLICK', 'VIEW'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A clickstream event (proto `tributary.clickstream.v1.ClickstreamEvent`). Absent strings are '' and absent numbers 0. */
export interface ClickstreamEvent {
  /** proto `user_id = 1` */
  userId: string;
  /** proto `page_url = 2` */
  pageUrl: string;
  /** proto `timestamp = 3`, int64 epoch milliseconds */
  timestamp: number;
  /** proto `event_type = 4`, 'CLICK' | 'VIEW' once validated */
  eventType: EventType | string;
  /** proto `event_id = 5` */
  eventId: string;
  /** proto `session_id = 6` */
  sessionId: string;
  /** proto `referrer = 7` */
  referrer: string;
  /** proto `user_agent = 8` */
  userAgent: string;
  /** proto `device = 9` */
  device: string;
  /** proto `country = 10` */
  country: string;
}

/** The fields the clickstream job needs, as read by the projection decoder. */
export type ClickstreamProjection = Pick<
  ClickstreamEvent,
  'userId' | 'pageUrl' | 'timestamp' | 'eventType' | 'eventId'
>;

/** Clicks and views of one page in one window (proto `tributary.clickstream.v1.WindowResult`). */
export interface WindowResult {
  /** proto `page_url = 1` */
  pageUrl: string;
  /** proto `window_start = 2`, epoch ms, inclusive */
  windowStart: number;
  /** proto `window_end = 3`, epoch ms, exclusive */
  windowEnd: number;
  /** proto `click_count = 4` */
  clickCount: number;
  /** proto `view_count = 5` */
  viewCount: number;
  /** proto `is_final = 6` */
  isFinal: boolean;
  /** proto `version = 7`, increases with every emission of the same window */
  version: number;
}
