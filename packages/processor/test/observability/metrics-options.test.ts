import { describe, expect, it } from 'vitest';
import { resolveProcessorConfig } from '../../src/config/processor-config.js';
import { resolveStreamJobOptions } from '../../src/config/stream-job-options.js';
import type { StreamJobOptions } from '../../src/config/stream-job-options.js';
import { counterTaskFactory } from '../fixtures/counter-task.mjs';

const base: StreamJobOptions = {
  applicationId: 'app-1',
  brokers: ['127.0.0.1:9092'],
  input: { topic: 'in' },
  outputs: { results: 'out' },
  taskFactory: counterTaskFactory(),
};

function failure(fn: () => unknown): { code?: string; option?: string; message?: string } {
  try {
    fn();
  } catch (error) {
    return error as { code: string; option: string; message: string };
  }
  throw new Error('expected a validation error');
}

describe('observability options of createStreamJob', () => {
  it('defaults to no server, the engine idle timeout and no logger', () => {
    const r = resolveStreamJobOptions(base);
    expect(r).toMatchObject({ metricsPort: undefined, metricsHost: '127.0.0.1', idleTimeoutMs: 30_000 });
    expect(r.logger).toBeUndefined();
  });

  it('rejects a bad metricsPort, metricsHost, idleTimeoutMs or logger naming the option', () => {
    for (const [option, value] of [
      ['metricsPort', -1],
      ['metricsPort', 70_000],
      ['metricsPort', 1.5],
      ['metricsHost', ''],
      ['idleTimeoutMs', -5],
      ['logger', { info: () => undefined }],
    ] as const) {
      const e = failure(() => resolveStreamJobOptions({ ...base, [option]: value } as StreamJobOptions));
      expect(e.code).toBe('TRIB_PROC_INVALID_OPTION');
      expect(e.option).toBe(option);
      expect(e.message).toContain(option);
    }
  });
});

describe('--metrics-port of the clickstream config', () => {
  it('is off (-1) by default and takes 0 for a free port', () => {
    expect(resolveProcessorConfig().metricsPort).toBe(-1);
    expect(resolveProcessorConfig({ source: 'flags', values: { metricsPort: '0' } }).metricsPort).toBe(0);
  });

  it('rejects values outside -1…65535 naming the option and the source', () => {
    const e = failure(() => resolveProcessorConfig({ source: 'flags', values: { metricsPort: '99999' } }));
    expect(e.option).toBe('metricsPort');
    expect(e.message).toContain('from flags');
  });
});
