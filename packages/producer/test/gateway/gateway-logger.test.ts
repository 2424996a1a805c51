import { describe, expect, it } from 'vitest';
import { createGatewayLogger, type GatewayLoggerOptions } from '../../src/gateway/gateway-logger.js';
import { resolveGatewayOptions } from '../../src/gateway/gateway-options.js';

function capture(options: Omit<GatewayLoggerOptions, 'destination'> = {}) {
  const lines: string[] = [];
  const logger = createGatewayLogger({
    ...options,
    destination: { write: (l: string) => void lines.push(l) },
  });
  return { logger, lines };
}

describe('createGatewayLogger', () => {
  it('writes JSON lines with an ISO time, the level label and the name, from the chosen level up', () => {
    const { logger, lines } = capture({ level: 'warn' });
    logger.info({ a: 1 }, 'hidden');
    logger.warn({ a: 2 }, 'shown');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'warn', name: 'tributary-gateway', msg: 'shown', a: 2 });
    expect(new Date(String(line['time'])).toISOString()).toBe(line['time']);
  });

  it('never writes credentials: passwords, SASL, authorization headers, TLS keys', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        password: 'p-1',
        kafka: { sasl: { mechanism: 'plain', username: 'u', password: 'p-2' }, ssl: { key: 'KEY-3' } },
        req: { headers: { authorization: 'Basic p-4' } },
        options: { es: { auth: { apiKey: 'p-5' } } },
      },
      'configured',
    );
    const text = lines.join('');
    for (const secret of ['p-1', 'p-2', 'KEY-3', 'p-4', 'p-5']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('rejects an unknown level, naming the option', () => {
    expect(() => createGatewayLogger({ level: 'loud' as never })).toThrow(/logLevel must be one of fatal/);
  });

  it('is accepted as the gateway logger option only when it has the four methods', () => {
    const { logger } = capture();
    expect(resolveGatewayOptions({ logger }).logger).toBe(logger);
    expect(resolveGatewayOptions({}).logger).toBeUndefined();
    expect(() => resolveGatewayOptions({ logger: { info: () => undefined } as never })).toThrow(
      /logger must have debug, info, warn and error methods/,
    );
  });
});
