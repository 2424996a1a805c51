import type { ChangelogEntry } from '../task/partition-task.js';

/** Anything whose state is checkpointed through the changelog (stores, window slots, the partition gate). */
export interface ChangelogParticipant {
  drainChangelog(): ChangelogEntry[];
  restoreEntry(entry: ChangelogEntry): void;
}

/** The pending changelog entries of every participant, in order. */
export function drainChangelogs(participants: readonly ChangelogParticipant[]): ChangelogEntry[] {
  return participants.flatMap((p) => p.drainChangelog());
}

/**
 * Replays changelog entries into every participant (each keeps the entries of its own stores), then drops the
 * dirty marks: restoring is not a change, so the next drain only carries new changes.
 */
export function restoreChangelogs(
  entries: Iterable<ChangelogEntry>,
  participants: readonly ChangelogParticipant[],
): void {
  for (const entry of entries) {
    for (const p of participants) p.restoreEntry(entry);
  }
  for (const p of participants) p.drainChangelog();
}
