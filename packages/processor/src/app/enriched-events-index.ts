import {
  ConnectorThread,
  RecordMappingError,
  createKafkaEsConnector,
  elasticsearchClientOptions,
  jsonObjectValue,
} from '@tributary/es-sink';
import type { EmbeddedConnector, KafkaEsConnector, RecordMapper } from '@tributary/es-sink';
import type { KafkaSecurity } from '@tributary/kafka';
import type { ProcessorConfig } from '../config/processor-config.js';
import { ENRICHED_EVENT_MAPPINGS } from '../enrichment/clickstream-enrichment.js';

/**
 * Enriched-event records → documents: `_id` = the record key (event_id), external version = the Kafka offset, so a
 * re-delivered record is a no-op (409 = duplicate) and a replay written again later overwrites the same document.
 */
export function enrichedEventMapper(): RecordMapper {
  return (record) => {
    if (record.key === null || record.key.length === 0) {
      throw new RecordMappingError('missing_id', 'enriched event record has no key (event_id)');
    }
    return {
      document: jsonObjectValue(record),
      id: record.key.toString('utf8'),
      version: Number(record.offset),
    };
  };
}

/**
 * The embedded connector indexing `enrichedTopic` into daily indices `<eventsIndexPrefix>-YYYY.MM.DD` (UTC date of
 * the event timestamp) behind alias `<eventsIndexPrefix>`, with the template (strict mappings) installed first.
 * Records it cannot index go to `eventsIndexDeadLetterTopic` (created when missing) before they are acknowledged.
 */
export function createEnrichedEventsConnector(
  config: ProcessorConfig,
  kafka: Partial<KafkaSecurity> = {},
): KafkaEsConnector {
  const prefix = config.eventsIndexPrefix;
  return createKafkaEsConnector({
    brokers: [...config.brokers],
    ...kafka,
    topic: config.enrichedTopic,
    groupId: `${config.applicationId}-elasticsearch-events`,
    sessionTimeoutMs: config.sessionTimeoutMs,
    mapper: enrichedEventMapper(),
    // Events Elasticsearch refuses for good (or without a key) land here with the reason.
    deadLetterTopic: config.eventsIndexDeadLetterTopic,
    deadLetterReplicationFactor: config.replicationFactor,
    sink: {
      ...elasticsearchClientOptions(config),
      index: `${prefix}-{yyyy.MM.dd}`,
      indexDateField: 'timestamp',
      action: 'index',
      versionType: 'external',
      template: {
        name: prefix,
        indexPatterns: [`${prefix}-*`],
        mappings: ENRICHED_EVENT_MAPPINGS as unknown as Record<string, unknown>,
        alias: prefix,
        replicas: 0,
      },
      createIndicesAhead: true,
    },
  });
}

/**
 * This module as a thread loads it: itself when running from dist/; from the package's dist/ when running from its
 * TypeScript source (tests), since a worker cannot load a .ts file — build first.
 */
function thisModuleUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/app/enriched-events-index.js', here) : new URL(here);
}

/**
 * The app's enriched-events connector on a thread of its own (`ConnectorThread`): at 10 000 events/s mapping,
 * serializing and acknowledging the documents took a fifth of the main thread and its garbage more, delaying every
 * stage beside it. On this thread instead when `kafka` holds what cannot be copied to a thread (a function).
 */
export function enrichedEventsConnector(
  config: ProcessorConfig,
  kafka: Partial<KafkaSecurity> = {},
): EmbeddedConnector {
  const args = [config, kafka] as const;
  try {
    structuredClone(args);
  } catch {
    return createEnrichedEventsConnector(config, kafka);
  }
  return new ConnectorThread(
    { module: thisModuleUrl(), exportName: 'createEnrichedEventsConnector', args },
    config.eventsIndexDeadLetterTopic,
  );
}
