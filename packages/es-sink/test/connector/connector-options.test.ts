import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  CONNECTOR_DEFAULTS,
  checkKafkaEsConnectorOptions,
  defaultDeadLetterTopic,
  resolveConnectorOptions,
  type KafkaEsConnectorOptions,
} from '../../src/connector/connector-options.js';

const base: KafkaEsConnectorOptions = {
  brokers: ['127.0.0.1:9092'],
  topic: 't',
  groupId: 'g',
  sink: { node: 'http://127.0.0.1:9200', index: 'i' },
};

describe('resolveConnectorOptions', () => {
  it('applies the defaults', () => {
    expect(resolveConnectorOptions(base)).toMatchObject({ ...CONNECTOR_DEFAULTS, topic: 't' });
  });

  it('has a dead-letter topic by default (<topic>-dlq); false means none', () => {
    expect(resolveConnectorOptions(base)).toMatchObject({
      deadLetterTopic: 't-dlq',
      deadLetterReplicationFactor: 1,
      shutdownTimeoutMs: 10_000,
    });
    expect(defaultDeadLetterTopic('clickstream-metrics')).toBe('clickstream-metrics-dlq');
    expect(resolveConnectorOptions({ ...base, deadLetterTopic: 'errors' }).deadLetterTopic).toBe('errors');
    expect(resolveConnectorOptions({ ...base, deadLetterTopic: false }).deadLetterTopic).toBe(false);
    for (const bad of ['', 'has space', 'a'.repeat(250), true as never]) {
      expect(() => resolveConnectorOptions({ ...base, deadLetterTopic: bad })).toThrow(
        expect.objectContaining({
          code: 'TRIB_SINK_INVALID_OPTION',
          option: 'deadLetterTopic',
          message: expect.stringMatching(/^deadLetterTopic must be a Kafka topic name .* or false for none/),
        }),
      );
    }
    expect(() => resolveConnectorOptions({ ...base, deadLetterReplicationFactor: 0 })).toThrow(
      /^deadLetterReplicationFactor must be >= 1 \(got 0\)/,
    );
    expect(() => resolveConnectorOptions({ ...base, shutdownTimeoutMs: -1 })).toThrow(
      /^shutdownTimeoutMs must be >= 1 \(got -1\)/,
    );
  });

  it('names the bad option', () => {
    expect(() => resolveConnectorOptions({ ...base, brokers: ['nohost'] })).toThrow(
      /^brokers\.0 must be host:port \(e\.g\. 127\.0\.0\.1:9092\) \(got "nohost"\)/,
    );
    expect(() => resolveConnectorOptions({ ...base, brokers: [] })).toThrow(/^brokers must not be empty/);
    expect(() => resolveConnectorOptions({ ...base, topic: '' })).toThrow(/^topic must not be empty/);
    expect(() => resolveConnectorOptions({ ...base, topic: undefined as never })).toThrow(
      /^topic is required/,
    );
    expect(() => resolveConnectorOptions({ ...base, sessionTimeoutMs: 5000 })).toThrow(
      /^sessionTimeoutMs must be >= 6000 \(got 5000\)/,
    );
    expect(() => resolveConnectorOptions({ ...base, sink: undefined as never })).toThrow(/^sink is required/);
    expect(() => resolveConnectorOptions({ ...base, lowWaterMark: 10, highWaterMark: 5 })).toThrow(
      /^lowWaterMark must be below/,
    );
    expect(() => resolveConnectorOptions({ ...base, versionFrom: 'field' })).toThrow(
      /^versionField is required/,
    );
    expect(() => resolveConnectorOptions({ ...base, deadLetterTopic: 't' })).toThrow(
      /^deadLetterTopic must differ from topic/,
    );
    expect(() => resolveConnectorOptions({ ...base, format: 'xml' as never })).toThrow(
      /^format must be one of window-result, json/,
    );
  });

  it('takes a prom-client registry and a health check interval, naming them when bad', () => {
    const registry = new Registry();
    expect(resolveConnectorOptions({ ...base, registry, healthCheckIntervalMs: 250 })).toMatchObject({
      registry,
      healthCheckIntervalMs: 250,
    });
    expect(() => resolveConnectorOptions({ ...base, registry: {} as Registry })).toThrow(
      /^registry must be a prom-client Registry/,
    );
    expect(() => resolveConnectorOptions({ ...base, healthCheckIntervalMs: 0 })).toThrow(
      /^healthCheckIntervalMs must be >= 1/,
    );
    expect(() => resolveConnectorOptions({ ...base, logger: 'console' as never })).toThrow(
      /^logger must be a function/,
    );
  });
});

describe('checkKafkaEsConnectorOptions', () => {
  const invalid = (option: string, message: RegExp) =>
    expect.objectContaining({
      code: 'TRIB_SINK_INVALID_OPTION',
      option,
      message: expect.stringMatching(message),
    });

  it('accepts what createKafkaEsConnector accepts, without creating anything', () => {
    expect(() => checkKafkaEsConnectorOptions(base)).not.toThrow();
    expect(() =>
      checkKafkaEsConnectorOptions({
        ...base,
        sink: { ...base.sink, index: 'metrics-{yyyy.MM.dd}', indexDateField: 'window_start' },
      }),
    ).not.toThrow();
  });

  it("fails on the connector's options and on its sink's, naming the option", () => {
    expect(() => checkKafkaEsConnectorOptions({ ...base, lowWaterMark: 9_000 })).toThrow(
      invalid('lowWaterMark', /must be below highWaterMark/),
    );
    expect(() => checkKafkaEsConnectorOptions({ ...base, sink: { ...base.sink, node: 'ftp://x' } })).toThrow(
      invalid('node', /must use http: or https:/),
    );
    expect(() => checkKafkaEsConnectorOptions({ ...base, sink: { ...base.sink, index: '' } })).toThrow(
      invalid('index', /must be an index name/),
    );
    expect(() =>
      checkKafkaEsConnectorOptions({ ...base, sink: { ...base.sink, index: 'metrics-{yyyy.MM.dd}' } }),
    ).toThrow(invalid('indexDateField', /is required when index is a date pattern/));
    expect(() => checkKafkaEsConnectorOptions({ ...base, sink: { ...base.sink, index: 'Upper' } })).toThrow(
      invalid('index', /lowercase/),
    );
  });
});
