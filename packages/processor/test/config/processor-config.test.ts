import { describe, expect, it } from 'vitest';
import type { OptionLayer } from '@tributary/options';
import { PROCESSOR_OPTIONS, resolveProcessorConfig } from '../../src/config/processor-config.js';

const flags = (values: Record<string, unknown>): OptionLayer => ({ source: { kind: 'flags' }, values });
const env = (values: Record<string, unknown>): OptionLayer => ({ source: { kind: 'env' }, values });
const file = (values: Record<string, unknown>): OptionLayer => ({
  source: { kind: 'file', path: 'x.json' },
  values,
});
const resolve = (...layers: OptionLayer[]) => PROCESSOR_OPTIONS.resolveLayers(layers).values;

describe('PROCESSOR_OPTIONS', () => {
  it('resolves to the defaults when nothing is set', () => {
    expect(resolveProcessorConfig()).toEqual(PROCESSOR_OPTIONS.defaults);
    expect(PROCESSOR_OPTIONS.defaults).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      windowSizeMs: 60_000,
      maxFutureSkewMs: 300_000,
      closedWindowRetentionMs: 600_000,
      sessionGapMs: 1_800_000,
      watermarkHeartbeatMs: 1_000,
      commitIntervalMs: 200,
      metricsPort: -1,
    });
  });

  it('coerces strings from flags and env, later layers winning', () => {
    const config = resolve(
      file({ windowSizeMs: 30_000, brokers: ['a:1'] }),
      env({ windowSizeMs: '10000', elasticsearch: 'false' }),
      flags({ brokers: 'b:2, c:3', processingGuarantee: 'at-least-once' }),
    );
    expect(config.windowSizeMs).toBe(10_000);
    expect(config.elasticsearch).toBe(false);
    expect(config.brokers).toEqual(['b:2', 'c:3']);
    expect(config.processingGuarantee).toBe('at-least-once');
  });

  it.each([
    ['windowSizeMs', '0'],
    ['windowSizeMs', 'abc'],
    ['commitIntervalMs', 1.5],
    ['brokers', 'nohost'],
    ['inputTopic', 'bad topic'],
    ['processingGuarantee', 'maybe'],
    ['elasticsearch', 'maybe'],
    ['esUrl', 'ftp://x'],
    ['logLevel', 'loud'],
    ['dashboard', 'maybe'],
    ['fullDecode', 'maybe'],
    ['dashboardPort', '65536'],
    ['dashboardPort', '-1'],
    ['dashboardPort', 'x'],
  ])('rejects %s = %j naming the option as the flag and the value', (option, value) => {
    const flag = `--${PROCESSOR_OPTIONS.flagName(option as 'brokers')}`;
    expect(() => resolve(flags({ [option]: value }))).toThrow(
      expect.objectContaining({
        code: 'TRIB_PROC_INVALID_OPTION',
        option: flag,
        message: expect.stringContaining(`(got ${JSON.stringify(value)})`),
      }),
    );
  });

  it('low-latency mode runs at-least-once, needs Elasticsearch, and refuses an explicit exactly-once', () => {
    expect(resolve(flags({ lowLatency: true }))).toMatchObject({
      lowLatency: true,
      processingGuarantee: 'at-least-once',
    });
    expect(resolve(flags({ lowLatency: true, processingGuarantee: 'at-least-once' })).lowLatency).toBe(true);
    expect(() => resolve(flags({ lowLatency: true, processingGuarantee: 'exactly-once' }))).toThrow(
      /--low-latency runs at-least-once: it contradicts processingGuarantee exactly-once/,
    );
    expect(() => resolve(env({ lowLatency: 'true', elasticsearch: 'false' }))).toThrow(
      /TRIBUTARY_LOW_LATENCY needs elasticsearch/,
    );
    expect(resolveProcessorConfig().processingGuarantee).toBe('exactly-once');
  });

  it('logs at info by default, the level of the long-running job', () => {
    expect(PROCESSOR_OPTIONS.defaults.logLevel).toBe('info');
    expect(resolveProcessorConfig().logLevel).toBe('info');
  });

  it('takes dashboard and dashboardPort from any layer, an explicit port implying the dashboard', () => {
    expect(resolveProcessorConfig()).toMatchObject({ dashboard: false, dashboardPort: 8088 });
    expect(resolve(file({ dashboard: true }))).toMatchObject({ dashboard: true, dashboardPort: 8088 });
    expect(resolve(env({ dashboardPort: '0' }))).toMatchObject({ dashboard: true, dashboardPort: 0 });
    expect(resolve(file({ dashboard: false }), flags({ dashboardPort: '9000' }))).toMatchObject({
      dashboard: false,
      dashboardPort: 9000,
    });
  });

  it('names dashboardPort as the source spells it when the implied dashboard has a bad port', () => {
    expect(() => resolve(env({ dashboardPort: 'abc' }))).toThrow(
      'TRIBUTARY_DASHBOARD_PORT must be a number (got "abc")',
    );
  });

  it('rejects unknown options, naming the config file', () => {
    expect(() => resolve(file({ windowSize: 1 }))).toThrow(
      expect.objectContaining({
        option: 'windowSize',
        message: 'windowSize is not an option of tributary-processor (config file x.json)',
      }),
    );
  });

  it('maps option names to env variables and flags', () => {
    expect(PROCESSOR_OPTIONS.envName('applicationId')).toBe('TRIBUTARY_APPLICATION_ID');
    expect(PROCESSOR_OPTIONS.flagName('outOfOrdernessMs')).toBe('out-of-orderness-ms');
    expect(
      PROCESSOR_OPTIONS.envLayer({ TRIBUTARY_INPUT_TOPIC: 'x', TRIBUTARY_BROKERS: '', OTHER: 'y' }).values,
    ).toEqual({ inputTopic: 'x' });
  });
});

describe('dead-letter topics of the embedded Elasticsearch connectors', () => {
  it('default to clickstream-metrics-dlq and clickstream-enriched-dlq', () => {
    expect(PROCESSOR_OPTIONS.defaults).toMatchObject({
      indexDeadLetterTopic: 'clickstream-metrics-dlq',
      eventsIndexDeadLetterTopic: 'clickstream-enriched-dlq',
    });
    expect(PROCESSOR_OPTIONS.flagName('indexDeadLetterTopic')).toBe('index-dead-letter-topic');
    expect(PROCESSOR_OPTIONS.envName('eventsIndexDeadLetterTopic')).toBe(
      'TRIBUTARY_EVENTS_INDEX_DEAD_LETTER_TOPIC',
    );
  });

  it('come from any layer, validated as topic names', () => {
    const config = resolve(
      file({ indexDeadLetterTopic: 'm-dlq' }),
      PROCESSOR_OPTIONS.envLayer({ TRIBUTARY_EVENTS_INDEX_DEAD_LETTER_TOPIC: 'e-dlq' }),
    );
    expect(config).toMatchObject({ indexDeadLetterTopic: 'm-dlq', eventsIndexDeadLetterTopic: 'e-dlq' });
    expect(() => resolveProcessorConfig({ indexDeadLetterTopic: 'a b' })).toThrow(
      expect.objectContaining({
        code: 'TRIB_PROC_INVALID_OPTION',
        option: 'indexDeadLetterTopic',
        message: expect.stringContaining('must be a valid Kafka topic name'),
      }),
    );
  });

  it('must not be another topic of the app (or each other), naming both options', () => {
    expect(() => resolve(flags({ indexDeadLetterTopic: 'clickstream-metrics' }))).toThrow(
      expect.objectContaining({
        option: '--index-dead-letter-topic',
        message: expect.stringMatching(
          /^--index-dead-letter-topic must differ from resultsTopic \(both "clickstream-metrics"\)/,
        ),
      }),
    );
    expect(() => resolve(env({ eventsIndexDeadLetterTopic: 'clickstream-metrics-dlq' }))).toThrow(
      /^indexDeadLetterTopic must differ from eventsIndexDeadLetterTopic/,
    );
    expect(() => resolve(flags({ eventsIndexDeadLetterTopic: 'clickstream-dlq' }))).toThrow(
      /^--events-index-dead-letter-topic must differ from deadLetterTopic/,
    );
  });
});
