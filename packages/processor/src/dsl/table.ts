import { EnrichmentTable, type EnrichmentTableOptions } from '../enrichment/enrichment-table.js';
import { checkOption, name, topicName } from '../config/option-schemas.js';

/** A reference-data table for `enrich`: loaded by the job from a compacted topic, looked up per event. */
export interface TableRef<V> {
  /** The name in the job's `tables` and `TaskContext.tables`. */
  readonly name: string;
  readonly topic: string;
  readonly table: EnrichmentTable<V>;
}

/**
 * A table fed by the compacted `topic` (key → value, UTF-8 JSON values unless `decodeValue` says otherwise). Named
 * after the topic unless `name` is given. Every instance of the job loads the whole topic before its first record.
 */
export function table<V>(
  topic: string,
  options: EnrichmentTableOptions<V> & { name?: string } = {},
): TableRef<V> {
  checkOption('table.topic', topicName, topic);
  const { name: tableName = topic, ...tableOptions } = options;
  checkOption('table.name', name, tableName);
  return { name: tableName, topic, table: new EnrichmentTable<V>(tableOptions) };
}
