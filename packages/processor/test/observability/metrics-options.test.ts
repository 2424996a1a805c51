import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/config/cli-options.js';
import { resolveProcessorConfig } from '../../src/config/processor-config.js';
import { STREAM_JOB_OPTIONS } from '../../src/config/stream-job-options.js';
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
    const r = STREAM_JOB_OPTIONS.resolve(base);
    expect(r).toMatchObject({ metricsHost: '127.0.0.1', idleTimeoutMs: 30_000 });
    expect(r.metricsPort).toBeUndefined();
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
      const e = failure(() => STREAM_JOB_OPTIONS.resolve({ ...base, [option]: value } as StreamJobOptions));
      expect(e.code).toBe('TRIB_PROC_INVALID_OPTION');
      expect(e.option).toBe(option);
      expect(e.message).toContain(option);
    }
  });
});

describe('--metrics-port of the clickstream config', () => {
  it('is off (-1) by default and takes 0 for a free port', () => {
    expect(resolveProcessorConfig().metricsPort).toBe(-1);
    expect(parseCli(['clickstream', '--metrics-port', '0'], { env: {} })).toMatchObject({
      config: { metricsPort: 0 },
    });
  });

  it('rejects values outside -1…65535 naming the option as given', () => {
    const e = failure(() => parseCli(['clickstream', '--metrics-port', '99999'], { env: {} }));
    expect(e.option).toBe('--metrics-port');
    expect(e.message).toBe('--metrics-port must be <= 65535 (got "99999")');
    expect(failure(() => resolveProcessorConfig({ metricsPort: -2 })).message).toBe(
      'metricsPort must be >= -1 (got -2)',
    );
  });
});
