import { isWindowClosed } from '@tributary/schema';
import type { ChangelogEntry } from '../task/partition-task.js';
import type { Codec } from '../state/codec.js';
import { KeyedStore, type StoreSize } from '../state/keyed-store.js';
import { MinHeap } from '../state/min-heap.js';
import type { TimeWindow } from '../windows/window.js';
import type { WindowedResult } from './window-result.js';
import { decodeWindowState, encodeWindowState } from './window-state-codec.js';

/** The state of one (key, window). */
interface Slot<C> {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  content: C;
  /** version of the last emission (0 = never emitted) */
  version: number;
  /** emitted at least once by the watermark (end <= watermark) */
  fired: boolean;
  /** watermark passed end + L: the last emission was final */
  closed: boolean;
}

export interface WindowSlotsOptions<C, R> {
  storeName: string;
  allowedLatenessMs: number;
  contentCodec: Codec<C>;
  resultOf: (content: C) => R;
  emit: (result: WindowedResult<R>) => void;
  /**
   * Emit a window when W passes its end, before it closes (`isFinal: false` while L > 0), and re-emit it for
   * late-but-allowed events. `false`: only when it closes (W ≥ end + L), once, as final. Same emissions when L = 0.
   * @defaultValue true
   */
  onTimeResults?: boolean;
}

/**
 * Per-(key, window) aggregation state plus the emission rules shared by every windowed task.
 *
 * With allowed lateness L and the task's emission watermark W:
 * - W ≥ end and L = 0 (or W ≥ end + L): the window is emitted once as FINAL (`isFinal: true`).
 * - end ≤ W < end + L: emitted at end as an update (`isFinal: false`, Flink's on-time firing); changes after
 *   that (late-but-allowed events) re-emit it with version + 1 at the next `flushUpdates()` (once per drain,
 *   coalescing a burst of late events); at W ≥ end + L it is emitted as final.
 * - a change after the final emission (only possible when W was advanced by idleness/wall clock ahead of the
 *   data) re-emits it with version + 1, still `isFinal: true` (a correction of a closed window).
 * - early updates: `emitEarly()` emits changed, not yet fired windows with `isFinal: false`.
 * Versions start at 1 and only grow; they are checkpointed with the slot. Slots are evicted by `purge(wm)`
 * once `end + L <= wm` (the caller passes a watermark after which no change can arrive).
 */
export class WindowSlots<C, R> {
  readonly #o: WindowSlotsOptions<C, R>;
  readonly #store: KeyedStore<Slot<C>>;
  // Ordered by (end, id): emission order is a total order, identical after a restore.
  readonly #unfired = new MinHeap<IndexEntry>(byEndThenId);
  readonly #unclosed = new MinHeap<IndexEntry>(byEndThenId);
  readonly #early = new Set<string>();
  /** Emitted windows changed since: re-emitted (once per flush, coalescing many changes) by `flushUpdates`. */
  readonly #updates = new Set<string>();
  #watermark = Number.NEGATIVE_INFINITY;
  readonly #onTime: boolean;

  constructor(options: WindowSlotsOptions<C, R>) {
    this.#o = options;
    this.#onTime = options.onTimeResults ?? true;
    const codec = options.contentCodec;
    this.#store = new KeyedStore<Slot<C>>({
      name: options.storeName,
      codec: {
        encode: (s) =>
          encodeWindowState({
            key: s.key,
            start: s.start,
            end: s.end,
            bytes: codec.encode(s.content),
            version: s.version,
            fired: s.fired,
            closed: s.closed,
          }),
        decode: (b) => {
          const w = decodeWindowState(b);
          return {
            key: w.key,
            start: w.start,
            end: w.end,
            version: w.version,
            fired: w.fired,
            closed: w.closed,
            content: codec.decode(w.bytes),
          };
        },
      },
      expiresAt: (s) => s.end + options.allowedLatenessMs,
    });
  }

  get storeName(): string {
    return this.#store.name;
  }

  get size(): StoreSize {
    return this.#store.size;
  }

  /** True when (key, window) is held. */
  has(key: string, window: TimeWindow): boolean {
    return this.#store.has(slotId(key, window));
  }

  /** Content of (key, window), if any. */
  get(key: string, window: TimeWindow): C | undefined {
    return this.#store.get(slotId(key, window))?.content;
  }

  /** Number of (key, window) slots held. */
  get count(): number {
    return this.#store.count;
  }

  /**
   * Creates or updates (key, window) with `update(previous)`. A window that was already emitted is queued for
   * re-emission at the next `flushUpdates()` (version + 1); otherwise it is marked for the next early update.
   * Returns true when the slot was created.
   */
  upsert(
    key: string,
    window: TimeWindow,
    update: (previous: C | undefined) => C,
    inheritedVersion = 0,
  ): boolean {
    const id = slotId(key, window);
    let slot = this.#store.get(id);
    const created = slot === undefined;
    if (slot === undefined) {
      slot = {
        key,
        start: window.start,
        end: window.end,
        content: update(undefined),
        version: inheritedVersion,
        fired: false,
        closed: false,
      };
      this.#store.set(id, slot);
      this.#index(id, slot);
    } else {
      slot.content = update(slot.content);
      this.#store.touch(id);
    }
    if (slot.fired) this.#updates.add(id);
    else this.#early.add(id);
    // A new slot behind the emission watermark (possible after a wall-clock advance) fires at once.
    if (!slot.fired && slot.end <= this.#watermark) this.advance(this.#watermark);
    return created;
  }

  /**
   * Removes (key, window) and returns its content and last version (session merging: the merged session
   * inherits the highest version so versions keep growing). Produces a tombstone.
   */
  take(key: string, window: TimeWindow): { content: C; version: number } | undefined {
    const id = slotId(key, window);
    const slot = this.#store.get(id);
    if (slot === undefined) return undefined;
    this.#store.delete(id);
    this.#early.delete(id);
    this.#updates.delete(id);
    return { content: slot.content, version: slot.version };
  }

  /** Fires and closes windows up to the emission watermark `watermark`. */
  advance(watermark: number): void {
    if (watermark > this.#watermark) this.#watermark = watermark;
    const wm = this.#watermark;
    const lateness = this.#o.allowedLatenessMs;
    for (let top = this.#unfired.peek(); top !== undefined && top.end <= wm; top = this.#unfired.peek()) {
      this.#unfired.pop();
      const slot = this.#store.get(top.id);
      if (slot === undefined || slot.fired) continue;
      slot.fired = true;
      const final = isWindowClosed(slot.end, wm, lateness);
      if (final) slot.closed = true;
      this.#emit(top.id, slot, final);
    }
    for (
      let top = this.#unclosed.peek();
      top !== undefined && isWindowClosed(top.end, wm, lateness);
      top = this.#unclosed.peek()
    ) {
      this.#unclosed.pop();
      const slot = this.#store.get(top.id);
      if (slot === undefined || slot.closed) continue;
      slot.closed = true;
      slot.fired = true;
      this.#emit(top.id, slot, true);
    }
  }

  /**
   * Re-emits every already-emitted window that changed since (version + 1; `isFinal` = whether it is closed).
   * Tasks call this when their outputs are drained, i.e. once per commit, so a burst of late data for one window
   * produces one update, not one per event.
   */
  flushUpdates(): void {
    for (const id of this.#updates) {
      const slot = this.#store.get(id);
      if (slot !== undefined) this.#emit(id, slot, slot.closed);
    }
    this.#updates.clear();
  }

  /** Emits every changed, not yet fired window as an early update (`isFinal: false`). */
  emitEarly(): void {
    for (const id of this.#early) {
      const slot = this.#store.get(id);
      if (slot !== undefined && !slot.fired) this.#emit(id, slot, false);
    }
    this.#early.clear();
  }

  /**
   * Evicts windows with `end + L <= watermark`. A window evicted before it was closed (only when the purge
   * watermark runs ahead of the emission watermark) is emitted as final first. Returns the evicted windows.
   */
  purge(watermark: number): Array<{ key: string; window: TimeWindow }> {
    const evicted = this.#store.expire(watermark);
    for (const [id, slot] of evicted) {
      this.#early.delete(id);
      if (this.#updates.delete(id) && slot.closed) this.#emit(id, slot, true);
      if (!slot.closed) {
        slot.closed = true;
        slot.fired = true;
        this.#emit(id, slot, true);
      }
    }
    return evicted.map(([, slot]) => ({ key: slot.key, window: { start: slot.start, end: slot.end } }));
  }

  /** Every (key, window) held, e.g. to rebuild an index after restore. */
  *windows(): IterableIterator<{ key: string; window: TimeWindow }> {
    for (const slot of this.#store.entries()) {
      yield { key: slot[1].key, window: { start: slot[1].start, end: slot[1].end } };
    }
  }

  drainChangelog(): ChangelogEntry[] {
    return this.#store.drainChangelog();
  }

  restoreEntry(entry: ChangelogEntry): void {
    if (entry.store !== this.#store.name) return;
    this.#store.restoreEntry(entry);
    const slot = this.#store.get(entry.key);
    if (slot !== undefined) this.#index(entry.key, slot);
  }

  #index(id: string, slot: Slot<C>): void {
    if (!slot.fired && this.#onTime) this.#unfired.push({ end: slot.end, id });
    if (!slot.closed) this.#unclosed.push({ end: slot.end, id });
  }

  #emit(id: string, slot: Slot<C>, isFinal: boolean): void {
    slot.version++;
    this.#store.touch(id);
    this.#early.delete(id);
    this.#updates.delete(id);
    this.#o.emit({
      key: slot.key,
      windowStart: slot.start,
      windowEnd: slot.end,
      result: this.#o.resultOf(slot.content),
      isFinal,
      version: slot.version,
    });
  }
}

interface IndexEntry {
  readonly end: number;
  readonly id: string;
}

function byEndThenId(a: IndexEntry, b: IndexEntry): number {
  return a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function slotId(key: string, window: TimeWindow): string {
  return `${window.start}:${window.end}:${key}`;
}
