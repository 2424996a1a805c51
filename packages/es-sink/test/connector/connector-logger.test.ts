import { createLogger } from '@tributary/observability';
import { describe, expect, it } from 'vitest';
import { connectorLoggerFor } from '../../src/connector/connector-logger.js';

describe('connectorLoggerFor', () => {
  it('writes (level, message, fields) as pino lines at that level', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      name: 'es-sink',
      level: 'debug',
      destination: { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) },
    });
    const log = connectorLoggerFor(logger);
    log('warn', 'Elasticsearch unreachable', { node: 'http://es:9200' });
    log('debug', 'committed');
    expect(lines).toMatchObject([
      { level: 'warn', msg: 'Elasticsearch unreachable', node: 'http://es:9200', name: 'es-sink' },
      { level: 'debug', msg: 'committed' },
    ]);
  });
});
