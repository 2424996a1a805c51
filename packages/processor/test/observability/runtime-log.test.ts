import { Writable } from 'node:stream';
import { createLogger } from '@tributary/observability';
import { describe, expect, it } from 'vitest';
import { logRuntimeEvents } from '../../src/observability/runtime-log.js';
import { RUNTIME_CHANNELS } from '../../src/runtime/diagnostics.js';

function sink(): { stream: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    stream,
    text: () => text,
    lines: () =>
      text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('logRuntimeEvents', () => {
  it('writes assignments, restores, failed commits and restarts of its own stages as JSON lines', () => {
    const out = sink();
    const logger = createLogger({ name: 'tributary-processor', level: 'info', destination: out.stream });
    const stop = logRuntimeEvents(logger, () => new Set(['app', 'app-merge']));
    try {
      RUNTIME_CHANNELS.assignment.publish({ stage: 'app', assigned: [0, 1], added: [0, 1], revoked: [] });
      RUNTIME_CHANNELS.restore.publish({ stage: 'app', partitions: [0, 1], records: 12, durationMs: 40 });
      RUNTIME_CHANNELS.assignment.publish({ stage: 'someone-else', assigned: [0], added: [0], revoked: [] });
      RUNTIME_CHANNELS.commitFailed.publish({
        stage: 'app-merge',
        topic: 'rep',
        partition: 3,
        error: Object.assign(new Error('fenced'), { code: 'TRIB_PROC_COMMIT_FAILED' }),
      });
      RUNTIME_CHANNELS.stageRestart.publish({ stage: 'app-merge', attempt: 2, error: new Error('fenced') });
      RUNTIME_CHANNELS.commit.publish({
        stage: 'app',
        partition: 0,
        offset: '5',
        messages: 1,
        durationMs: 3,
      });
    } finally {
      stop();
    }
    RUNTIME_CHANNELS.assignment.publish({ stage: 'app', assigned: [], added: [], revoked: [0, 1] });
    const lines = out.lines();
    expect(lines.map((l) => [l['level'], l['msg'], l['stage']])).toEqual([
      ['info', 'partitions assigned', 'app'],
      ['info', 'tasks restored from changelogs', 'app'],
      ['warn', 'commit failed, transaction aborted', 'app-merge'],
      ['warn', 'stage restarting', 'app-merge'],
    ]);
    expect(lines[2]).toMatchObject({
      partition: 3,
      err: { message: 'fenced', code: 'TRIB_PROC_COMMIT_FAILED' },
    });
    expect(lines.every((l) => l['name'] === 'tributary-processor')).toBe(true);
  });

  it('logs every commit at trace level only', () => {
    const out = sink();
    const logger = createLogger({ name: 'p', level: 'trace', destination: out.stream });
    const stop = logRuntimeEvents(logger, () => new Set(['app']));
    RUNTIME_CHANNELS.commit.publish({ stage: 'app', partition: 0, offset: '5', messages: 1, durationMs: 3 });
    stop();
    expect(out.lines()).toMatchObject([{ level: 'trace', msg: 'committed', offset: '5' }]);
  });

  it('never writes credentials carried by an error (a client error with its connection options)', () => {
    const out = sink();
    const logger = createLogger({ name: 'p', level: 'info', destination: out.stream });
    const stop = logRuntimeEvents(logger, () => new Set(['app']));
    const error = Object.assign(new Error('SASL authentication failed'), {
      code: 'TRIB_PROC_COMMIT_FAILED',
      sasl: { mechanism: 'plain', username: 'svc', password: 's3cret-sasl' },
      ssl: { key: 'PRIVATE-KEY-PEM' },
    });
    RUNTIME_CHANNELS.stageRestart.publish({ stage: 'app', attempt: 1, error });
    // A caller logging connection options through the same logger gets them redacted too.
    logger.info(
      { kafka: { brokers: ['k:9092'], sasl: { password: 's3cret-sasl' } }, apiKey: 'key-123' },
      'config',
    );
    stop();
    const text = out.text();
    expect(text).toContain('SASL authentication failed');
    expect(text).not.toContain('s3cret-sasl');
    expect(text).not.toContain('PRIVATE-KEY-PEM');
    expect(text).not.toContain('key-123');
    expect(text).toContain('k:9092');
  });
});
