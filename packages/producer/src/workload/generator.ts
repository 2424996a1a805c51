import { ClickstreamEventEncoder, isLate, windowStartOf, type ClickstreamEvent } from '@tributary/schema';
import type { InjectedCounts } from '../ground-truth/ground-truth.js';
import { partitionForKey } from '@tributary/kafka';
import { Prng } from '../random/prng.js';
import type { OptionInput } from '@tributary/options';
import {
  badWireTypeEncoding,
  FaultKinds,
  MALFORMED_KINDS,
  MalformedKinds,
  truncateEncoding,
} from './faults.js';
import type { FaultKind, MalformedKind } from './faults.js';
import { UserSessions } from './user-sessions.js';
import { WORKLOAD_OPTIONS } from './workload-options.js';
import type { WorkloadOptions } from './workload-options.js';
import { ZipfDistribution } from './zipf.js';

/** One record of the generated stream, ready to send. */
export interface GeneratedRecord {
  /** Position in the stream, from 0. The pacing schedule gives its intended send time. */
  seq: number;
  /** Kafka key: the user id. */
  key: string;
  /** murmur2(key) mod partitions, set explicitly on the Kafka message. */
  partition: number;
  /** The encoded value (broken bytes for malformed records). */
  value: Uint8Array;
  /** The event as generated; for undecodable records, the event the broken bytes were made from. */
  event: ClickstreamEvent;
  fault: FaultKind;
  /** Set when fault is malformed. */
  malformed?: MalformedKind;
}

interface RecentEvent {
  partition: number;
  key: string;
  value: Uint8Array;
  event: ClickstreamEvent;
}

/**
 * Deterministic clickstream generator: Zipf page popularity, users in sessions, a click/view mix, event time from the
 * schedule (origin + seq / eventsPerSecond) and injected faults at the configured rates. Same options → the same
 * byte-identical stream. It tracks each partition's max event time exactly as the contract's watermark does, so an
 * injected late event is late and an injected duplicate is a duplicate (never late) under the rules.
 */
export class ClickstreamGenerator {
  readonly options: WorkloadOptions;
  readonly #rng: Prng;
  readonly #zipf: ZipfDistribution;
  readonly #sessions: UserSessions;
  readonly #maxTs: Float64Array;
  readonly #recent: RecentEvent[] = [];
  readonly #injected: InjectedCounts = { outOfOrder: 0, late: 0, duplicates: 0, malformed: 0 };
  readonly #idPrefix: string;
  readonly #pageUrls: string[];
  readonly #partitionOf = new Map<string, number>();
  readonly #encoder = new ClickstreamEventEncoder();
  #seq = 0;
  #recentNext = 0;

  constructor(options: OptionInput<typeof WORKLOAD_OPTIONS.specs> = {}) {
    this.options = WORKLOAD_OPTIONS.resolve(options);
    this.#rng = new Prng(this.options.seed);
    this.#zipf = new ZipfDistribution(this.options.pages, this.options.zipfExponent);
    this.#sessions = new UserSessions(
      this.#rng,
      this.options.users,
      this.options.concurrentSessions,
      this.options.meanSessionEvents,
      this.options.seed,
    );
    this.#maxTs = new Float64Array(this.options.partitions).fill(Number.NEGATIVE_INFINITY);
    this.#idPrefix = `e${this.options.seed.toString(36)}-`;
    this.#pageUrls = Array.from({ length: this.options.pages }, (_, i) => `/products/${i + 1}`);
  }

  /** Records generated so far. */
  get generated(): number {
    return this.#seq;
  }

  /** Faults injected so far (a late or duplicate fault that the rules would not honour is not injected). */
  get injected(): Readonly<InjectedCounts> {
    return this.#injected;
  }

  /** Event time the schedule gives record `seq`. */
  scheduledTimestamp(seq: number): number {
    return this.options.eventTimeOriginMs + Math.floor((seq * 1000) / this.options.eventsPerSecond);
  }

  next(): GeneratedRecord {
    const seq = this.#seq++;
    const o = this.options;
    const u = this.#rng.float();
    if (u < o.duplicateRate) {
      const dup = this.#duplicate(seq);
      if (dup !== undefined) return dup;
    }
    const event = this.#baseEvent(seq);
    const key = event.userId;
    let partition = this.#partitionOf.get(key);
    if (partition === undefined) {
      partition = partitionForKey(key, o.partitions);
      this.#partitionOf.set(key, partition);
    }
    let threshold = o.duplicateRate + o.malformedRate;
    if (u >= o.duplicateRate && u < threshold) return this.#malformed(seq, event, partition);
    let fault: FaultKind = FaultKinds.NONE;
    threshold += o.lateRate;
    if (u >= o.duplicateRate + o.malformedRate && u < threshold) {
      if (this.#makeLate(event, partition)) fault = FaultKinds.LATE;
    } else if (u >= threshold && u < threshold + o.outOfOrderRate && o.outOfOrdernessMs > 0) {
      event.timestamp -= 1 + this.#rng.int(o.outOfOrdernessMs);
      fault = FaultKinds.OUT_OF_ORDER;
      this.#injected.outOfOrder++;
    }
    const value = this.#encoder.encode(event);
    if (event.timestamp > this.#maxTs[partition]!) this.#maxTs[partition] = event.timestamp;
    if (fault !== FaultKinds.LATE && o.duplicateRate > 0) this.#remember({ partition, key, value, event });
    return { seq, key, partition, value, event, fault };
  }

  /** The next `count` records. */
  take(count: number): GeneratedRecord[] {
    const out: GeneratedRecord[] = [];
    for (let i = 0; i < count; i++) out.push(this.next());
    return out;
  }

  #baseEvent(seq: number): ClickstreamEvent {
    const pageUrl = this.#pageUrls[this.#zipf.sample(this.#rng) - 1]!;
    const step = this.#sessions.next(pageUrl);
    const eventType = this.#rng.chance(this.options.clickRatio) ? 'CLICK' : 'VIEW';
    return {
      userId: step.user.userId,
      pageUrl,
      timestamp: this.scheduledTimestamp(seq),
      eventType,
      eventId: this.#idPrefix + seq.toString(36),
      sessionId: step.sessionId,
      referrer: step.referrer,
      userAgent: step.user.userAgent,
      device: step.user.device,
      country: step.user.country,
    };
  }

  /** Moves the event into a window that is already closed for its partition; false when nothing is closed yet. */
  #makeLate(event: ClickstreamEvent, partition: number): boolean {
    const o = this.options;
    const wm = this.#maxTs[partition]! - o.outOfOrdernessMs;
    if (wm === Number.NEGATIVE_INFINITY) return false;
    // Last window boundary E with E + L <= wm: any ts < E is in a window ending at or before E.
    const boundary = windowStartOf(wm - o.allowedLatenessMs, o.windowSizeMs, o.windowOffsetMs);
    const ts = boundary - 1 - this.#rng.int(o.windowSizeMs);
    if (ts < 0) return false;
    event.timestamp = ts;
    this.#injected.late++;
    return true;
  }

  #malformed(seq: number, event: ClickstreamEvent, partition: number): GeneratedRecord {
    const kind = MALFORMED_KINDS[this.#rng.int(MALFORMED_KINDS.length)]!;
    let value: Uint8Array;
    switch (kind) {
      case MalformedKinds.TRUNCATED:
        value = truncateEncoding(this.#encoder.encode(event));
        break;
      case MalformedKinds.BAD_WIRE_TYPE:
        value = badWireTypeEncoding(this.#encoder.encode(event));
        break;
      case MalformedKinds.MISSING_PAGE_URL:
        event.pageUrl = '';
        value = this.#encoder.encode(event);
        break;
      case MalformedKinds.BAD_EVENT_TYPE:
        event.eventType = 'PURCHASE';
        value = this.#encoder.encode(event);
        break;
    }
    this.#injected.malformed++;
    return { seq, key: event.userId, partition, value, event, fault: FaultKinds.MALFORMED, malformed: kind };
  }

  /** Re-sends a recent accepted event if the rules would still call it a duplicate (not late, not expired). */
  #duplicate(seq: number): GeneratedRecord | undefined {
    if (this.#recent.length === 0) return undefined;
    const o = this.options;
    const original = this.#recent[this.#rng.int(this.#recent.length)]!;
    const wm = this.#maxTs[original.partition]! - o.outOfOrdernessMs;
    const ts = original.event.timestamp;
    if (isLate(ts, wm, o) || wm >= ts + o.dedupTtlMs) return undefined;
    this.#injected.duplicates++;
    return {
      seq,
      key: original.key,
      partition: original.partition,
      value: original.value,
      event: original.event,
      fault: FaultKinds.DUPLICATE,
    };
  }

  #remember(recent: RecentEvent): void {
    if (this.#recent.length < this.options.duplicateWindowEvents) {
      this.#recent.push(recent);
    } else {
      this.#recent[this.#recentNext] = recent;
      this.#recentNext = (this.#recentNext + 1) % this.options.duplicateWindowEvents;
    }
  }
}
