import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../src/logger.js';
import { isObservabilityError } from '../src/errors.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[]; raw: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return {
    stream,
    raw: () => text,
    lines: () =>
      text
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes JSON lines with name, level label, time and message', () => {
    const out = capture();
    const log = createLogger({ name: 'es-sink', destination: out.stream });
    log.info({ topic: 't1' }, 'started');
    const [line] = out.lines();
    expect(line).toMatchObject({ name: 'es-sink', level: 'info', topic: 't1', msg: 'started' });
    expect(typeof line?.['time']).toBe('string');
  });

  it('filters below the level', () => {
    const out = capture();
    const log = createLogger({ name: 'x', level: 'warn', destination: out.stream });
    log.info('hidden');
    log.debug('hidden');
    log.warn('shown');
    expect(out.lines().map((l) => l['msg'])).toEqual(['shown']);
  });

  it('never writes credentials, at the top level or nested', () => {
    const out = capture();
    const log = createLogger({ name: 'x', destination: out.stream });
    log.info(
      {
        password: 'hunter2-top',
        options: {
          es: { node: 'http://es:9200', auth: { username: 'elastic', password: 'hunter2-es' } },
          kafka: {
            brokers: ['k:9092'],
            sasl: { mechanism: 'plain', username: 'u', password: 'hunter2-sasl' },
          },
        },
        apiKey: 'key-top-secret',
        ssl: { key: 'PRIVATE-KEY-PEM', cert: 'CERT-PEM' },
        headers: { authorization: 'Basic aHVudGVyMg==' },
        kafka: { ssl: { key: 'NESTED-PRIVATE-KEY' } },
      },
      'config',
    );
    const raw = out.raw();
    for (const secret of [
      'hunter2-top',
      'hunter2-es',
      'hunter2-sasl',
      'key-top-secret',
      'PRIVATE-KEY-PEM',
      'aHVudGVyMg',
      'NESTED-PRIVATE-KEY',
    ])
      expect(raw).not.toContain(secret);
    expect(raw).toContain('[redacted]');
    expect(raw).toContain('http://es:9200');
    expect(raw).toContain('k:9092');
  });

  it('rejects a bad level and an empty name, naming the option', () => {
    expect(() => createLogger({ name: 'x', level: 'loud' as never })).toThrow(/^level must be one of/);
    try {
      createLogger({ name: '' });
      expect.unreachable();
    } catch (error) {
      expect(isObservabilityError(error, 'TRIB_OBS_INVALID_OPTION')).toBe(true);
      expect((error as Error).message).toMatch(/^name /);
    }
  });

  it('writes an ISO time and accepts any write() destination, from the chosen level up', () => {
    const lines: string[] = [];
    const log = createLogger({
      name: 'tributary-gateway',
      level: 'warn',
      destination: { write: (l: string) => void lines.push(l) },
    });
    log.info({ a: 1 }, 'hidden');
    log.warn({ a: 2 }, 'shown');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'warn', name: 'tributary-gateway', msg: 'shown', a: 2 });
    expect(new Date(String(line['time'])).toISOString()).toBe(line['time']);
  });

  it('never writes credentials of a request or an Elasticsearch api key, nor cookies', () => {
    const out = capture();
    const log = createLogger({ name: 'x', destination: out.stream });
    log.info(
      {
        password: 'p-1',
        kafka: { sasl: { mechanism: 'plain', username: 'u', password: 'p-2' }, ssl: { key: 'KEY-3' } },
        req: { headers: { authorization: 'Basic p-4', cookie: 'session=p-6' } },
        options: { es: { auth: { apiKey: 'p-5' } } },
        cookie: 'session=p-7',
      },
      'configured',
    );
    const raw = out.raw();
    for (const secret of ['p-1', 'p-2', 'KEY-3', 'p-4', 'p-5', 'p-6', 'p-7'])
      expect(raw).not.toContain(secret);
    expect(raw).toContain('[redacted]');
  });

  it('rejects an unknown level, naming the option and the allowed levels', () => {
    expect(() => createLogger({ name: 'x', level: 'loud' as never })).toThrow(/^level must be one of fatal/);
  });
});
