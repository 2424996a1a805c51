import type { GroundTruthManifest } from '@tributary/producer';
import { decodeWindowResult } from '@tributary/schema';
import type { ReadRecord } from './kafka-harness.js';

/** A window result's counts and version, as the latest record on the results topic says. */
export interface LatestWindow {
  readonly clickCount: number;
  readonly viewCount: number;
  readonly version: number;
}

/** `${windowStart}|${pageUrl}`: one (page, window). */
export const windowKey = (pageUrl: string, windowStart: number): string => `${windowStart}|${pageUrl}`;

/** The highest version of each (page, window) on a results topic (WindowResult protobuf values). */
export function latestWindowResults(records: readonly ReadRecord[]): Map<string, LatestWindow> {
  const latest = new Map<string, LatestWindow>();
  for (const r of records) {
    const w = decodeWindowResult(r.value!);
    const k = windowKey(w.pageUrl, w.windowStart);
    const seen = latest.get(k);
    if (seen === undefined || w.version > seen.version)
      latest.set(k, { clickCount: w.clickCount, viewCount: w.viewCount, version: w.version });
  }
  return latest;
}

/** How the latest results differ from the ground truth's windows: missing, different and extra windows (none = exact). */
export function resultMismatches(manifest: GroundTruthManifest, records: readonly ReadRecord[]): string[] {
  const latest = latestWindowResults(records);
  const problems: string[] = [];
  for (const w of manifest.windows) {
    const got = latest.get(windowKey(w.pageUrl, w.windowStart));
    if (got === undefined) problems.push(`missing ${w.pageUrl}@${w.windowStart}`);
    else if (got.clickCount !== w.clickCount || got.viewCount !== w.viewCount)
      problems.push(
        `${w.pageUrl}@${w.windowStart}: expected ${w.clickCount}/${w.viewCount}, got ${got.clickCount}/${got.viewCount}`,
      );
  }
  if (latest.size !== manifest.windows.length)
    problems.push(`expected ${manifest.windows.length} windows, got ${latest.size}`);
  return problems;
}
