import { resolveProcessorConfig } from '../../src/config/processor-config.js';
import type { ProcessorConfig } from '../../src/config/processor-config.js';

/** The processor config of a test run: fast commits, 1 s idle timeout and no logging unless `values` overrides them. */
export function testProcessorConfig(values: Record<string, unknown>): ProcessorConfig {
  return resolveProcessorConfig({
    source: 'test',
    values: { commitIntervalMs: 100, idleTimeoutMs: 1_000, logLevel: 'nothing', ...values },
  });
}
