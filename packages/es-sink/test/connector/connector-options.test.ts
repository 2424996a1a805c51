import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  CONNECTOR_DEFAULTS,
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

  it('names the bad option', () => {
    expect(() => resolveConnectorOptions({ ...base, brokers: ['nohost'] })).toThrow(/^brokers must be/);
    expect(() => resolveConnectorOptions({ ...base, topic: '' })).toThrow(/^topic is required/);
    expect(() => resolveConnectorOptions({ ...base, lowWaterMark: 10, highWaterMark: 5 })).toThrow(
      /^lowWaterMark must be below/,
    );
    expect(() => resolveConnectorOptions({ ...base, versionFrom: 'field' })).toThrow(
      /^versionField is required/,
    );
    expect(() => resolveConnectorOptions({ ...base, deadLetterTopic: 't' })).toThrow(
      /^deadLetterTopic must be/,
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
      /^healthCheckIntervalMs must be a positive integer/,
    );
    expect(() => resolveConnectorOptions({ ...base, logger: 'console' as never })).toThrow(
      /^logger must be a function/,
    );
  });
});
