import type { LogEntry } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  KafkaLogLevel as logLevel,
  kafkaLogCreator,
  kafkaLogFields,
  loggerLogWriter,
  type KafkaLogTargetLevel,
} from '../src/kafka-log.js';
import { loadKafkajs } from '../src/kafkajs/kafkajs-module.js';

function entry(level: number, message: string, extra: Record<string, unknown> = {}): LogEntry {
  return {
    namespace: 'Consumer',
    level,
    label: 'X',
    log: { timestamp: '2026-11-22T12:00:00.000Z', logger: 'kafkajs', message, ...extra },
  } as LogEntry;
}

describe('kafkaLogCreator', () => {
  it('forwards each kafkajs line at its mapped level with its namespace and fields', () => {
    const lines: unknown[] = [];
    const log = kafkaLogCreator((level, message, fields) => lines.push([level, message, fields]))(
      logLevel.INFO,
    );
    log(entry(logLevel.ERROR, 'Crash', { groupId: 'g', error: 'boom' }));
    log(entry(logLevel.WARN, 'slow', { broker: 'b:9092' }));
    log(entry(logLevel.INFO, 'Consumer has joined the group', { groupId: 'g', memberId: 'm' }));
    log(entry(logLevel.DEBUG, 'fetch', {}));
    log(entry(logLevel.NOTHING, 'never', {}));
    expect(lines).toEqual([
      ['error', 'Crash', { kafkajs: 'Consumer', groupId: 'g', error: 'boom' }],
      ['warn', 'slow', { kafkajs: 'Consumer', broker: 'b:9092' }],
      ['info', 'Consumer has joined the group', { kafkajs: 'Consumer', groupId: 'g', memberId: 'm' }],
      ['debug', 'fetch', { kafkajs: 'Consumer' }],
    ]);
  });

  it("writes a broker's error answer to one request at debug (its caller reports it), other errors at error", () => {
    const lines: unknown[] = [];
    const log = kafkaLogCreator((level, message) => lines.push([level, message]))(logLevel.INFO);
    const answer = (extra: Record<string, unknown>): LogEntry => ({
      ...entry(logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', extra),
      namespace: 'Connection',
    });
    log(answer({ error: 'Topic creation errors', correlationId: 33, size: 394 }));
    log({ ...entry(logLevel.ERROR, 'Connection error: connect ECONNREFUSED'), namespace: 'Connection' });
    log(answer({ error: 'no correlation id' }));
    expect(lines).toEqual([
      ['debug', 'Response CreateTopics(key: 19, version: 3)'],
      ['error', 'Connection error: connect ECONNREFUSED'],
      ['error', 'Response CreateTopics(key: 19, version: 3)'],
    ]);
  });

  it('never passes credentials on: sasl, passwords, tokens, TLS material, user:password@ in strings', () => {
    const fields = kafkaLogFields(
      entry(logLevel.INFO, 'x', {
        sasl: { mechanism: 'plain', username: 'u', password: 'hunter2' },
        ssl: { key: 'PRIVATE' },
        nested: { password: 'hunter2', token: 't0k', keep: 1 },
        url: 'http://u:hunter2@es:9200',
      }),
    );
    const text = JSON.stringify(fields);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('PRIVATE');
    expect(text).not.toContain('t0k');
    expect(fields).toEqual({ kafkajs: 'Consumer', nested: { keep: 1 }, url: 'http://[redacted]@es:9200' });
    const lines: string[] = [];
    kafkaLogCreator((_l, message) => lines.push(message))(logLevel.INFO)(
      entry(logLevel.INFO, 'connecting to https://admin:hunter2@broker'),
    );
    expect(lines).toEqual(['connecting to https://[redacted]@broker']);
  });

  it('writes every line at debug while quiet() (the caller reports its own connection failures)', () => {
    const lines: string[] = [];
    let quiet = true;
    const log = kafkaLogCreator((level) => lines.push(level), { quiet: () => quiet })(logLevel.INFO);
    log(entry(logLevel.ERROR, 'Connection error'));
    quiet = false;
    log(entry(logLevel.ERROR, 'Connection error'));
    expect(lines).toEqual(['debug', 'error']);
  });

  it('writes through a pino-shaped logger as logger[level](fields, message)', () => {
    const calls: [KafkaLogTargetLevel, Record<string, unknown>, string][] = [];
    const at = (level: KafkaLogTargetLevel) => (fields: Record<string, unknown>, message: string) =>
      calls.push([level, fields, message]);
    const logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
    kafkaLogCreator(loggerLogWriter(logger))(logLevel.INFO)(
      entry(logLevel.ERROR, 'Connection error', { broker: 'b:1', error: 'ECONNREFUSED' }),
    );
    expect(calls).toEqual([
      ['error', { kafkajs: 'Consumer', broker: 'b:1', error: 'ECONNREFUSED' }, 'Connection error'],
    ]);
  });

  it("uses kafkajs' own level numbers", () => {
    expect({ ...logLevel }).toEqual({ ...loadKafkajs().logLevel });
  });
});
