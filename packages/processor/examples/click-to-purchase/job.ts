import {
  clickstreamCodec,
  streamJob,
  tumbling,
  type Aggregator,
  type EncodedResult,
  type EventCodec,
  type StreamJobSettings,
  type StreamPlan,
  type WindowedResult,
} from '../../src/index.js';

/** The topics of the job. */
export const CLICK_TO_PURCHASE_TOPICS = {
  clicks: 'clickstream-events',
  orders: 'orders',
  conversions: 'conversions',
  perPage: 'conversions-per-page',
  late: 'click-to-purchase-late',
  deadLetter: 'click-to-purchase-dlq',
} as const;

/** An order as the shop writes it: UTF-8 JSON, keyed by user. */
export interface Order {
  readonly orderId: string;
  readonly userId: string;
  readonly amount: number;
  /** Epoch ms. */
  readonly timestamp: number;
}

/** A click followed by an order of the same user within 30 minutes. */
export interface Conversion {
  readonly page: string;
  readonly userId: string;
  readonly orderId: string;
  readonly amount: number;
  readonly clickedAt: number;
  readonly orderedAt: number;
  /** The conversion's event time: the later of the two, `max(click, order)` (the order here). */
  readonly timestamp: number;
}

/** Conversions of one page in one window. */
export interface PageConversions {
  readonly conversions: number;
  readonly revenue: number;
}

/** A click converts when an order of its user follows within this much event time. */
export const CONVERSION_WINDOW = '30m';
/** Conversions are counted per page per this much event time (of the order). */
export const REPORT_WINDOW = '5m';

function isOrder(value: unknown): value is Order {
  const o = value as Partial<Order> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.orderId === 'string' &&
    typeof o.userId === 'string' &&
    typeof o.amount === 'number' &&
    Number.isFinite(o.amount) &&
    Number.isSafeInteger(o.timestamp)
  );
}

/** Decodes a JSON record validated by `isValid` (anything else is dead-lettered with `code`). */
function jsonCodec<E extends { timestamp: number }>(
  isValid: (value: unknown) => value is E,
  code: string,
): EventCodec<E> {
  return {
    decode: (record) => {
      try {
        const value: unknown = JSON.parse(record.value?.toString('utf8') ?? '');
        if (isValid(value)) return { ok: true, event: value };
      } catch {
        // not JSON: refused below
      }
      return { ok: false, code, reason: 'not a valid JSON record' };
    },
    eventTime: (event) => event.timestamp,
  };
}

/** Orders: `{ orderId, userId, amount, timestamp }`. */
export const orderCodec = jsonCodec(isOrder, 'ORDER_INVALID');

/** Conversions as the join writes them. */
export const conversionCodec = jsonCodec(
  (value: unknown): value is Conversion =>
    typeof (value as Partial<Conversion> | null)?.page === 'string' && isOrder(value),
  'CONVERSION_INVALID',
);

/** Counts conversions and sums their amounts. */
export function pageConversions(): Aggregator<Conversion, PageConversions, PageConversions> {
  return {
    create: () => ({ conversions: 0, revenue: 0 }),
    add: (acc, c) => ({ conversions: acc.conversions + 1, revenue: acc.revenue + c.amount }),
    merge: (a, b) => ({ conversions: a.conversions + b.conversions, revenue: a.revenue + b.revenue }),
    result: (acc) => acc,
    serialize: (acc) => Buffer.from(JSON.stringify(acc)),
    deserialize: (bytes) => JSON.parse(bytes.toString('utf8')) as PageConversions,
  };
}

/** One report: a page's conversions in a 5-minute window, keyed by page. */
export function reportEncoder(r: WindowedResult<PageConversions>): EncodedResult {
  const report = { page: r.key, windowStart: r.windowStart, windowEnd: r.windowEnd, ...r.result };
  return { key: Buffer.from(r.key), value: Buffer.from(JSON.stringify(report)) };
}

/**
 * Click-to-purchase conversions: each click (clickstream `CLICK` events, duplicates dropped) joined with every order
 * of the same user placed 0 to 30 minutes after it, written to `conversions` keyed by page; and, as a stage beside
 * the join reading that topic, conversions and revenue per page per 5 minutes of order time. One job: the join's
 * stages (clicks, orders, the join itself) and the per-page windows.
 */
export function clickToPurchaseJob(settings: StreamJobSettings): StreamPlan {
  const job = streamJob(settings);
  const sides = { late: CLICK_TO_PURCHASE_TOPICS.late, deadLetter: CLICK_TO_PURCHASE_TOPICS.deadLetter };
  const clicks = job
    .source(CLICK_TO_PURCHASE_TOPICS.clicks, clickstreamCodec())
    .filter((event) => event.eventType === 'CLICK')
    .dedupBy((event) => event.eventId);
  const orders = job.source(CLICK_TO_PURCHASE_TOPICS.orders, orderCodec).dedupBy((order) => order.orderId);
  const conversions = clicks
    .join(
      orders,
      {
        leftKey: 'userId',
        rightKey: 'userId',
        between: { lower: 0, upper: CONVERSION_WINDOW },
        outOfOrderness: '5s',
      },
      (click, order): Conversion => ({
        page: click.pageUrl,
        userId: order.userId,
        orderId: order.orderId,
        amount: order.amount,
        clickedAt: click.timestamp,
        orderedAt: order.timestamp,
        timestamp: Math.max(click.timestamp, order.timestamp),
      }),
    )
    .to(CLICK_TO_PURCHASE_TOPICS.conversions, undefined, { key: 'page', ...sides });
  const perPage = job
    .source(CLICK_TO_PURCHASE_TOPICS.conversions, conversionCodec, { partitionedBy: 'page' })
    .keyBy('page')
    .window(tumbling({ size: REPORT_WINDOW }), { outOfOrderness: '1m' })
    .aggregate(pageConversions())
    .to(CLICK_TO_PURCHASE_TOPICS.perPage, reportEncoder, sides);
  return conversions.alongside('per-page', perPage);
}
