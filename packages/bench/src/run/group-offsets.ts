import type { Admin } from '@tributary/kafka';

/**
 * Committed offsets on `topic` of every consumer group whose id starts with `groupPrefix` (a run's groups carry its
 * id), by group id and partition. Groups that committed nothing on the topic are left out.
 */
export async function committedOffsetsByGroup(
  admin: Admin,
  groupPrefix: string,
  topic: string,
): Promise<Map<string, Map<number, number>>> {
  const { groups } = await admin.listGroups();
  const byGroup = new Map<string, Map<number, number>>();
  for (const g of groups.filter((x) => x.groupId.startsWith(groupPrefix))) {
    const offsets = await admin.fetchOffsets({ groupId: g.groupId, topics: [topic] });
    const partitions = offsets.find((o) => o.topic === topic)?.partitions ?? [];
    const committed = new Map<number, number>();
    for (const p of partitions) if (Number(p.offset) >= 0) committed.set(p.partition, Number(p.offset));
    if (committed.size > 0) byGroup.set(g.groupId, committed);
  }
  return byGroup;
}

/**
 * Records of `topic` the most advanced of the groups named `groupPrefix…` has committed (the sum of its committed
 * offsets), or null when none has committed on it yet.
 */
export async function committedRecords(
  admin: Admin,
  groupPrefix: string,
  topic: string,
): Promise<number | null> {
  let most: number | null = null;
  for (const committed of (await committedOffsetsByGroup(admin, groupPrefix, topic)).values()) {
    let sum = 0;
    for (const offset of committed.values()) sum += offset;
    most = most === null ? sum : Math.max(most, sum);
  }
  return most;
}
