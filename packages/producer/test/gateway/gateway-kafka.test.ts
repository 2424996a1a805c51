import kafkajs from 'kafkajs';
import type { LogEntry } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { gatewayKafkaLogCreator } from '../../src/gateway/gateway-kafka.js';
import type { GatewayLogger } from '../../src/gateway/gateway-logger.js';

const { logLevel } = kafkajs;

function recorder(): { log: GatewayLogger; lines: [string, object, string][] } {
  const lines: [string, object, string][] = [];
  const at =
    (level: string) =>
    (fields: object, message: string): void => {
      lines.push([level, fields, message]);
    };
  return { lines, log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

const entry = (level: number, message: string, extra: Record<string, unknown> = {}): LogEntry =>
  ({
    namespace: 'Producer',
    level,
    label: 'X',
    log: { timestamp: 't', logger: 'kafkajs', message, ...extra },
  }) as LogEntry;

describe('gatewayKafkaLogCreator', () => {
  it("writes kafkajs' lines through the gateway logger at the mapped level, with namespace and fields", () => {
    const { log, lines } = recorder();
    const write = gatewayKafkaLogCreator(log)(logLevel.INFO);
    write(entry(logLevel.ERROR, 'Connection error', { broker: 'b:9092', error: 'ECONNREFUSED' }));
    write(entry(logLevel.WARN, 'w'));
    write(entry(logLevel.INFO, 'i'));
    write(entry(logLevel.DEBUG, 'd'));
    write(entry(logLevel.NOTHING, 'n'));
    expect(lines).toEqual([
      ['error', { kafkajs: 'Producer', broker: 'b:9092', error: 'ECONNREFUSED' }, 'Connection error'],
      ['warn', { kafkajs: 'Producer' }, 'w'],
      ['info', { kafkajs: 'Producer' }, 'i'],
      ['debug', { kafkajs: 'Producer' }, 'd'],
    ]);
  });

  it('writes every line at debug while quiet() (the gateway reports its own connection failures)', () => {
    const { log, lines } = recorder();
    let quiet = true;
    const write = gatewayKafkaLogCreator(log, () => quiet)(logLevel.INFO);
    write(entry(logLevel.ERROR, 'Connection error'));
    quiet = false;
    write(entry(logLevel.ERROR, 'Connection error'));
    expect(lines.map(([level]) => level)).toEqual(['debug', 'error']);
  });

  it("writes a broker's error answer to one request at debug: the gateway gets the error itself", () => {
    const { log, lines } = recorder();
    const write = gatewayKafkaLogCreator(log)(logLevel.INFO);
    write({
      ...entry(logLevel.ERROR, 'Response Produce(key: 0, version: 7)', { correlationId: 4 }),
      namespace: 'Connection',
    });
    write({ ...entry(logLevel.ERROR, 'Connection error: ECONNREFUSED'), namespace: 'Connection' });
    expect(lines.map(([level, , message]) => [level, message])).toEqual([
      ['debug', 'Response Produce(key: 0, version: 7)'],
      ['error', 'Connection error: ECONNREFUSED'],
    ]);
  });

  it('drops credential fields (sasl, password, ssl, token)', () => {
    const { log, lines } = recorder();
    gatewayKafkaLogCreator(log)(logLevel.INFO)(
      entry(logLevel.INFO, 'SASL', {
        sasl: { password: 'hunter2' },
        password: 'hunter2',
        ssl: { key: 'k' },
        token: 't',
        broker: 'b',
      }),
    );
    expect(lines).toEqual([['info', { kafkajs: 'Producer', broker: 'b' }, 'SASL']]);
  });
});
