import { resolveProcessorConfig } from '../../src/config/processor-config.js';
import type { ProcessorConfig, ProcessorConfigInput } from '../../src/config/processor-config.js';

/**
 * The processor config of a test run: fast commits, 1 s idle timeout and no logging unless `values` overrides them.
 * The connectors' dead-letter topics and the late-partials topic are named after the results / enriched / late
 * topics (a suite's own prefix), so the suite's cleanup deletes them instead of leaving the shared defaults behind.
 */
export function testProcessorConfig(values: ProcessorConfigInput): ProcessorConfig {
  const named = (topic: unknown, suffix: string): Record<string, string> =>
    typeof topic === 'string' ? { [suffix]: `${topic}-index-dlq` } : {};
  return resolveProcessorConfig({
    commitIntervalMs: 100,
    idleTimeoutMs: 1_000,
    logLevel: 'nothing',
    ...named(values.resultsTopic, 'indexDeadLetterTopic'),
    ...named(values.enrichedTopic, 'eventsIndexDeadLetterTopic'),
    ...(typeof values.lateTopic === 'string' ? { latePartialsTopic: `${values.lateTopic}-partials` } : {}),
    ...values,
  });
}
