import { describe, expect, it } from 'vitest';
import { STREAM_JOB_OPTIONS } from '../../src/config/stream-job-options.js';
import type { StreamJobOptions } from '../../src/config/stream-job-options.js';
import { EnrichmentTable } from '../../src/enrichment/enrichment-table.js';
import { counterTaskFactory } from '../fixtures/counter-task.mjs';

const base: StreamJobOptions = {
  applicationId: 'app-1',
  brokers: ['127.0.0.1:9092'],
  input: { topic: 'in' },
  outputs: { results: 'out' },
  taskFactory: counterTaskFactory(),
};

function errorOf(options: unknown): { code?: string; option?: string; message?: string } {
  try {
    STREAM_JOB_OPTIONS.resolve(options as StreamJobOptions);
  } catch (error) {
    return error as { code: string; option: string; message: string };
  }
  throw new Error('expected a validation error');
}

describe('STREAM_JOB_OPTIONS.resolve', () => {
  it('fills every default', () => {
    const r = STREAM_JOB_OPTIONS.resolve(base);
    expect(r.commitIntervalMs).toBe(200);
    expect(STREAM_JOB_OPTIONS.defaults).toMatchObject({
      commitIntervalMs: 200,
      extraStages: [],
      clientId: 'tributary-processor',
    });
    expect(r.processingGuarantee).toBe('exactly-once');
    expect(r.transactionTimeoutMs).toBe(60_000);
    expect(r.outputs.get('results')).toBe('out');
    expect(r.merge).toBeUndefined();
    expect(typeof r.now()).toBe('number');
  });

  it.each([
    [{ applicationId: '' }, 'applicationId'],
    [{ applicationId: 'has space' }, 'applicationId'],
    [{ brokers: [] }, 'brokers'],
    [{ brokers: ['nohost'] }, 'brokers'],
    [{ input: { topic: '' } }, 'input.topic'],
    [{ taskFactory: 'x' }, 'taskFactory'],
    [{ outputs: { results: 'in' } }, 'outputs.results'],
    [{ outputs: { results: 'bad topic' } }, 'outputs.results'],
    [{ commitIntervalMs: 0 }, 'commitIntervalMs'],
    [{ commitIntervalMs: 1.5 }, 'commitIntervalMs'],
    [{ processingGuarantee: 'twice' }, 'processingGuarantee'],
    [{ maxUncommittedRecords: 0 }, 'maxUncommittedRecords'],
    [{ commitIntervalMs: 5_000, transactionTimeoutMs: 4_000 }, 'transactionTimeoutMs'],
    [{ sessionTimeoutMs: 100 }, 'sessionTimeoutMs'],
    [{ createTopics: 'yes' }, 'createTopics'],
    [{ logLevel: 'loud' }, 'logLevel'],
    [{ merge: { taskFactory: counterTaskFactory() } }, 'outputs.repartition'],
    [{ merge: {} }, 'merge.taskFactory'],
    [{ now: 5 }, 'now'],
    [{ outputs: { repartition: null } }, 'outputs.repartition'],
    [
      { extraStages: [{ name: 'merge', input: { topic: 'x' }, taskFactory: counterTaskFactory() }] },
      'extraStages.0.name',
    ],
    [
      { extraStages: [{ name: 's', input: { topic: '' }, taskFactory: counterTaskFactory() }] },
      'extraStages.0.input.topic',
    ],
    [{ extraStages: [{ name: 's', input: { topic: 'x' } }] }, 'extraStages.0.taskFactory'],
  ])('rejects %j naming %s', (patch, option) => {
    const error = errorOf({ ...base, ...patch });
    expect(error.code).toBe('TRIB_PROC_INVALID_OPTION');
    expect(error.option).toBe(option);
    expect(error.message).toContain(option);
  });

  it('accepts discarded outputs and extra stages', () => {
    const r = STREAM_JOB_OPTIONS.resolve({
      ...base,
      outputs: { results: 'out', 'sessions-late': null },
      extraStages: [{ name: 'sessions', input: { topic: 'in' }, taskFactory: counterTaskFactory() }],
    });
    expect(r.outputs.get('sessions-late')).toBeNull();
    expect(r.extraStages.map((s) => s.name)).toEqual(['sessions']);
  });

  it('accepts a merge stage when the repartition output is mapped', () => {
    const r = STREAM_JOB_OPTIONS.resolve({
      ...base,
      outputs: { results: 'out', repartition: 'rep' },
      merge: { taskFactory: counterTaskFactory() },
      processingGuarantee: 'at-least-once',
    });
    expect(r.merge).toBeDefined();
    expect(r.processingGuarantee).toBe('at-least-once');
  });

  it('accepts reference-data tables and rejects bad ones naming the option', () => {
    const table = new EnrichmentTable();
    const r = STREAM_JOB_OPTIONS.resolve({ ...base, tables: { pages: { topic: 'pages', table } } });
    expect(r.tables.get('pages')).toEqual({ topic: 'pages', table });
    expect(STREAM_JOB_OPTIONS.resolve(base).tables.size).toBe(0);
    expect(errorOf({ ...base, tables: { pages: { topic: 'bad topic', table } } }).option).toBe(
      'tables.pages.topic',
    );
    expect(errorOf({ ...base, tables: { pages: { topic: 'p', table: {} } } }).option).toBe(
      'tables.pages.table',
    );
    expect(errorOf({ ...base, tables: { 'a b': { topic: 'p', table } } }).option).toBe('tables.a b');
  });
});
