import { describe, expect, it } from 'vitest';
import { createClickstreamApp } from '../../src/app/clickstream.js';
import { ConnectorThread } from '@tributary/es-sink';
import {
  createEnrichedEventsConnector,
  enrichedEventMapper,
  enrichedEventsConnector,
} from '../../src/app/enriched-events-index.js';
import { resolveProcessorConfig } from '../../src/config/processor-config.js';

describe('enrichedEventMapper', () => {
  const map = enrichedEventMapper();

  it('uses the record key as _id and the offset as external version', () => {
    expect(
      map({
        key: Buffer.from('e1'),
        value: Buffer.from('{"event_id":"e1","category":null}'),
        offset: '42',
        partition: 1,
      }),
    ).toEqual({ document: { event_id: 'e1', category: null }, id: 'e1', version: 42 });
  });

  it('rejects records without a key, tombstones and non-objects (dead-lettered by the connector)', () => {
    expect(() => map({ key: null, value: Buffer.from('{}'), offset: '0', partition: 0 })).toThrow(/no key/);
    expect(() => map({ key: Buffer.from('k'), value: null, offset: '0', partition: 0 })).toThrow(/tombstone/);
    expect(() =>
      map({ key: Buffer.from('k'), value: Buffer.from('[1]'), offset: '0', partition: 0 }),
    ).toThrow(/not a JSON object/);
    expect(() => map({ key: Buffer.from('k'), value: Buffer.from('{'), offset: '0', partition: 0 })).toThrow(
      /not JSON/,
    );
  });
});

describe("the reference app's Elasticsearch connectors", () => {
  it('each have a dead-letter topic by default', () => {
    const config = resolveProcessorConfig({ enrichedEvents: true });
    const app = createClickstreamApp(config);
    expect(app.connector?.deadLetterTopic).toBe('clickstream-metrics-dlq');
    expect(app.eventsConnector?.deadLetterTopic).toBe('clickstream-enriched-dlq');
  });

  it('take the configured dead-letter topics', () => {
    const config = resolveProcessorConfig({
      indexDeadLetterTopic: 'results-errors',
      eventsIndexDeadLetterTopic: 'events-errors',
    });
    expect(createClickstreamApp(config).connector?.deadLetterTopic).toBe('results-errors');
    expect(createEnrichedEventsConnector(config).deadLetterTopic).toBe('events-errors');
  });
});

describe('enrichedEventsConnector', () => {
  const config = resolveProcessorConfig({
    enrichedEvents: true,
    eventsIndexDeadLetterTopic: 'events-errors',
  });

  it('runs the connector on a thread of its own, started by the app (nothing runs before)', () => {
    const connector = enrichedEventsConnector(config, { ssl: { ca: ['-----BEGIN CERTIFICATE-----'] } });
    expect(connector).toBeInstanceOf(ConnectorThread);
    expect(connector.deadLetterTopic).toBe('events-errors');
    expect(connector.health()).toMatchObject({ live: true, ready: false });
    expect(createClickstreamApp(config).eventsConnector).toBeInstanceOf(ConnectorThread);
  });

  it("builds the connector in its thread from this module and the copied config: the connector's start error comes back", async () => {
    // Nothing listens on port 1: the connector built in the thread fails its Elasticsearch check at start.
    const unreachable = resolveProcessorConfig({ enrichedEvents: true, esUrl: 'http://127.0.0.1:1' });
    const connector = enrichedEventsConnector(unreachable);
    await expect(connector.start()).rejects.toMatchObject({
      code: 'TRIB_SINK_CONNECTION_FAILED',
      message: expect.stringContaining('127.0.0.1:1'),
    });
    await connector.stop();
  });

  it('keeps it on this thread when the Kafka security options hold a function (a thread cannot receive one)', () => {
    const connector = enrichedEventsConnector(config, {
      sasl: {
        mechanism: 'oauthbearer',
        oauthBearerProvider: async () => ({ value: 'token' }),
      },
    });
    expect(connector).not.toBeInstanceOf(ConnectorThread);
    expect(connector.deadLetterTopic).toBe('events-errors');
  });
});
