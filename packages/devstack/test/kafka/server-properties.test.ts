import { describe, expect, it } from 'vitest';
import {
  kafkaLog4jProperties,
  kafkaServerProperties,
  randomClusterId,
} from '../../src/kafka/server-properties.js';

function parse(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('kafkaServerProperties', () => {
  const props = parse(
    kafkaServerProperties({
      port: 19092,
      controllerPort: 19093,
      logDir: '/d/kafka',
      autoCreateTopics: false,
    }),
  );

  it('configures a single-node KRaft broker+controller on loopback', () => {
    expect(props).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:19093',
      listeners: 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:19092',
      'controller.listener.names': 'CONTROLLER',
      'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      'inter.broker.listener.name': 'PLAINTEXT',
      'log.dirs': '/d/kafka',
    });
  });

  it('makes transactions and consumer groups work on one node, and starts light', () => {
    expect(props).toMatchObject({
      'offsets.topic.replication.factor': '1',
      'offsets.topic.num.partitions': '10',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'transaction.state.log.num.partitions': '10',
      'group.initial.rebalance.delay.ms': '0',
      'auto.create.topics.enable': 'false',
    });
  });

  it('lets overrides win and exposes auto topic creation', () => {
    const text = kafkaServerProperties({
      port: 1,
      controllerPort: 2,
      logDir: '/d',
      autoCreateTopics: true,
      overrides: { 'num.partitions': '6', 'log.retention.ms': '60000' },
    });
    expect(parse(text)).toMatchObject({
      'auto.create.topics.enable': 'true',
      'num.partitions': '6',
      'log.retention.ms': '60000',
    });
    expect(text.match(/^num\.partitions=/gm)).toHaveLength(1);
  });

  it('escapes backslashes in values', () => {
    const text = kafkaServerProperties({
      port: 1,
      controllerPort: 2,
      logDir: 'C:\\data',
      autoCreateTopics: false,
    });
    expect(text).toContain('log.dirs=C:\\\\data');
  });
});

describe('kafkaLog4jProperties', () => {
  it('sends the root logger to a file appender', () => {
    const text = kafkaLog4jProperties('/d/kafka/server.log');
    expect(text).toContain('log4j.rootLogger=INFO, file');
    expect(text).toContain('log4j.appender.file.File=/d/kafka/server.log');
  });
});

describe('randomClusterId', () => {
  it('is 22 URL-safe base64 characters', () => {
    expect(randomClusterId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
  it('never starts with "-" and is never all zeros', () => {
    const draws = [Buffer.alloc(16, 0), Buffer.from('f8' + '00'.repeat(15), 'hex'), Buffer.alloc(16, 7)];
    const id = randomClusterId(() => draws.shift()!);
    expect(id).toBe(Buffer.alloc(16, 7).toString('base64url'));
  });
});
