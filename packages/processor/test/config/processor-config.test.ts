import { describe, expect, it } from 'vitest';
import {
  PROCESSOR_DEFAULTS,
  configFromEnv,
  envName,
  flagName,
  resolveProcessorConfig,
} from '../../src/config/processor-config.js';

describe('resolveProcessorConfig', () => {
  it('returns PROCESSOR_DEFAULTS when nothing is set', () => {
    expect(resolveProcessorConfig()).toEqual(PROCESSOR_DEFAULTS);
  });

  it('coerces strings from flags and env, later layers winning', () => {
    const config = resolveProcessorConfig(
      { source: 'file', values: { windowSizeMs: 30_000, brokers: ['a:1'] } },
      { source: 'environment', values: { windowSizeMs: '10000', elasticsearch: 'false' } },
      { source: 'flags', values: { brokers: 'b:2, c:3', processingGuarantee: 'at-least-once' } },
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
    ['elasticsearch', 'yes'],
    ['elasticsearchUrl', 'ftp://x'],
    ['logLevel', 'loud'],
    ['dashboard', 'maybe'],
    ['fullDecode', 'yes'],
    ['dashboardPort', '65536'],
    ['dashboardPort', '-1'],
    ['dashboardPort', 'x'],
  ])('rejects %s = %j naming the option and its source', (option, value) => {
    expect(() => resolveProcessorConfig({ source: 'flags', values: { [option]: value } })).toThrow(
      expect.objectContaining({
        code: 'TRIB_PROC_INVALID_OPTION',
        option,
        message: expect.stringContaining('from flags'),
      }),
    );
  });

  it('logs at info by default, the level of the long-running job', () => {
    expect(PROCESSOR_DEFAULTS.logLevel).toBe('info');
    expect(resolveProcessorConfig().logLevel).toBe('info');
  });

  it('takes dashboard and dashboardPort from any layer, an explicit port implying the dashboard', () => {
    expect(resolveProcessorConfig()).toMatchObject({ dashboard: false, dashboardPort: 8088 });
    expect(resolveProcessorConfig({ source: 'config file', values: { dashboard: true } })).toMatchObject({
      dashboard: true,
      dashboardPort: 8088,
    });
    expect(resolveProcessorConfig({ source: 'environment', values: { dashboardPort: '0' } })).toMatchObject({
      dashboard: true,
      dashboardPort: 0,
    });
    expect(
      resolveProcessorConfig(
        { source: 'config file', values: { dashboard: false } },
        { source: 'flags', values: { dashboardPort: '9000' } },
      ),
    ).toMatchObject({ dashboard: false, dashboardPort: 9000 });
  });

  it('names dashboardPort and the layer it came from when the implied dashboard has a bad port', () => {
    expect(() => resolveProcessorConfig({ source: 'environment', values: { dashboardPort: 'abc' } })).toThrow(
      /dashboardPort must be an integer from 0 to 65535 \(got "abc" from environment\)/,
    );
  });

  it('rejects unknown options', () => {
    expect(() => resolveProcessorConfig({ source: 'config file x.json', values: { windowSize: 1 } })).toThrow(
      expect.objectContaining({
        option: 'windowSize',
        message: expect.stringContaining('config file x.json'),
      }),
    );
  });

  it('maps option names to env variables and flags', () => {
    expect(envName('applicationId')).toBe('TRIBUTARY_APPLICATION_ID');
    expect(flagName('outOfOrdernessMs')).toBe('out-of-orderness-ms');
    expect(configFromEnv({ TRIBUTARY_INPUT_TOPIC: 'x', TRIBUTARY_BROKERS: '', OTHER: 'y' })).toEqual({
      inputTopic: 'x',
    });
  });
});

describe('dead-letter topics of the embedded Elasticsearch connectors', () => {
  it('default to clickstream-metrics-dlq and clickstream-enriched-dlq', () => {
    expect(PROCESSOR_DEFAULTS).toMatchObject({
      indexDeadLetterTopic: 'clickstream-metrics-dlq',
      eventsIndexDeadLetterTopic: 'clickstream-enriched-dlq',
    });
    expect(flagName('indexDeadLetterTopic')).toBe('index-dead-letter-topic');
    expect(envName('eventsIndexDeadLetterTopic')).toBe('TRIBUTARY_EVENTS_INDEX_DEAD_LETTER_TOPIC');
  });

  it('come from any layer, validated as topic names', () => {
    const config = resolveProcessorConfig(
      { source: 'config file', values: { indexDeadLetterTopic: 'm-dlq' } },
      {
        source: 'environment',
        values: configFromEnv({ TRIBUTARY_EVENTS_INDEX_DEAD_LETTER_TOPIC: 'e-dlq' }),
      },
    );
    expect(config).toMatchObject({ indexDeadLetterTopic: 'm-dlq', eventsIndexDeadLetterTopic: 'e-dlq' });
    expect(() =>
      resolveProcessorConfig({ source: 'flags', values: { indexDeadLetterTopic: 'a b' } }),
    ).toThrow(
      expect.objectContaining({
        code: 'TRIB_PROC_INVALID_OPTION',
        option: 'indexDeadLetterTopic',
        message: expect.stringContaining('must be a valid Kafka topic name'),
      }),
    );
  });

  it('must not be another topic of the app (or each other), naming both options', () => {
    expect(() =>
      resolveProcessorConfig({ source: 'flags', values: { indexDeadLetterTopic: 'clickstream-metrics' } }),
    ).toThrow(
      expect.objectContaining({
        option: 'indexDeadLetterTopic',
        message: expect.stringMatching(/^indexDeadLetterTopic must differ from resultsTopic .*from flags/),
      }),
    );
    expect(() =>
      resolveProcessorConfig({
        source: 'environment',
        values: { eventsIndexDeadLetterTopic: 'clickstream-metrics-dlq' },
      }),
    ).toThrow(/^indexDeadLetterTopic must differ from eventsIndexDeadLetterTopic/);
    expect(() =>
      resolveProcessorConfig({ source: 'flags', values: { eventsIndexDeadLetterTopic: 'clickstream-dlq' } }),
    ).toThrow(/^eventsIndexDeadLetterTopic must differ from deadLetterTopic/);
  });
});
