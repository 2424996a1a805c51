import { decodeRepartitionRecord, type RepartitionRecord } from '../../src/engine/repartition-format.js';
import { partsCodec } from '../../src/engine/merge-parts.js';
import { decodeWindowState } from '../../src/engine/window-state-codec.js';
import type { ChangelogEntry } from '../../src/task/partition-task.js';

/**
 * The encoders of the previous version (format 1: JSON with base64), kept as they were, to check that records and
 * changelogs it wrote are still read — an application upgraded in place.
 */

/** A repartition record as format 1 wrote it. */
export function encodeRepartitionRecordV1(record: RepartitionRecord): Buffer {
  const body =
    record.type === 'partial'
      ? {
          formatVersion: 1,
          type: 'partial',
          upstreamPartition: record.upstreamPartition,
          key: record.key,
          windowStart: record.windowStart,
          windowEnd: record.windowEnd,
          accumulator: record.accumulator.toString('base64'),
        }
      : {
          formatVersion: 1,
          type: 'watermark',
          upstreamPartition: record.upstreamPartition,
          watermark: Number.isFinite(record.watermark) ? record.watermark : null,
          idle: record.idle,
        };
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/** A repartition value (format 2) rewritten as format 1; other values (garbage, null) as they are. */
export function repartitionValueToV1(value: Buffer | null): Buffer | null {
  try {
    return encodeRepartitionRecordV1(decodeRepartitionRecord(value));
  } catch {
    return value;
  }
}

/** The merge's parts of one window as format 1 wrote them (`jsonCodec` of upstream → base64). */
export function partsToV1(bytes: Buffer): Buffer {
  const parts: Record<string, string> = {};
  for (const [u, acc] of partsCodec.decode(bytes)) parts[String(u)] = acc.toString('base64');
  return Buffer.from(JSON.stringify(parts), 'utf8');
}

/**
 * A changelog (format 2) as the previous version wrote it: WindowSlots' `*-windows` values as
 * `{k,s,e,v,f,c,a}`, stage 1's `*-partials` as `{k,s,e,a}` (`a` = base64 of the content, which `contentToV1`
 * rewrites first: the merge's parts), the `*-progress` offset as a decimal string; other stores are kept.
 */
export function changelogToV1(
  entries: readonly ChangelogEntry[],
  contentToV1: (bytes: Buffer) => Buffer = (b) => b,
): ChangelogEntry[] {
  return entries.map((entry) => {
    if (entry.value === null) return entry;
    if (entry.store.endsWith('-progress')) {
      // Offsets were decimal strings.
      const progress = JSON.parse(entry.value.toString()) as { offset: number | null };
      const offset = progress.offset === null ? null : String(progress.offset);
      return { ...entry, value: Buffer.from(JSON.stringify({ ...progress, offset })) };
    }
    const slot = entry.store.endsWith('-windows');
    if (!slot && !entry.store.endsWith('-partials')) return entry;
    const w = decodeWindowState(entry.value);
    const a = (slot ? contentToV1(w.bytes) : w.bytes).toString('base64');
    const json = slot
      ? { k: w.key, s: w.start, e: w.end, v: w.version, f: w.fired, c: w.closed, a }
      : { k: w.key, s: w.start, e: w.end, a };
    return { ...entry, value: Buffer.from(JSON.stringify(json)) };
  });
}
