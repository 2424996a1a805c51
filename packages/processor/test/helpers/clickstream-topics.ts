/** The topics of one clickstream app, all named `<suffix>-…` so cleanup can delete them by prefix. */
export interface ClickstreamTopics {
  readonly inputTopic: string;
  readonly resultsTopic: string;
  readonly lateTopic: string;
  readonly deadLetterTopic: string;
  readonly repartitionTopic: string;
}

export function clickstreamTopics(suffix: string): ClickstreamTopics {
  return {
    inputTopic: `${suffix}-events`,
    resultsTopic: `${suffix}-metrics`,
    lateTopic: `${suffix}-late`,
    deadLetterTopic: `${suffix}-dlq`,
    repartitionTopic: `${suffix}-repartition`,
  };
}

/** Generated clickstream records as Kafka messages to their own partitions. */
export function toInputMessages(
  records: readonly { key: string; value: Uint8Array; partition: number }[],
): { key: string; value: Buffer; partition: number }[] {
  return records.map((r) => ({ key: r.key, value: Buffer.from(r.value), partition: r.partition }));
}
