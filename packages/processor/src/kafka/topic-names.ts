/** Compacted changelog topic of one state store of a stage: `${stageId}-${store}-changelog`. */
export function changelogTopic(stageId: string, store: string): string {
  return `${stageId}-${store}-changelog`;
}

/** Transactional id of the producer that owns one input partition (EOS "alpha": one producer per partition). */
export function transactionalId(stageId: string, topic: string, partition: number): string {
  return `${stageId}-${topic}-${partition}`;
}
