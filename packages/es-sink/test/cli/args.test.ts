import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';

describe('parseCliArgs', () => {
  it('maps flags onto the connector options with window-result defaults', () => {
    const { connector, statsIntervalMs } = parseCliArgs(
      ['--topic', 'clickstream-metrics', '--flush-docs', '500', '--dead-letter-topic', 'dlq'],
      {},
    );
    expect(statsIntervalMs).toBe(10_000);
    expect(connector).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      topic: 'clickstream-metrics',
      groupId: 'tributary-es-sink-clickstream-metrics',
      fromBeginning: true,
      deadLetterTopic: 'dlq',
      format: 'window-result',
      sink: {
        node: 'http://127.0.0.1:9200',
        index: 'clickstream-metrics-{yyyy.MM.dd}',
        indexDateField: 'window_start',
        flushDocs: 500,
        template: {
          name: 'clickstream-metrics',
          indexPatterns: ['clickstream-metrics-*'],
          alias: 'clickstream-metrics',
          shards: 1,
          replicas: 0,
          refreshInterval: '30s',
        },
      },
    });
    expect(connector.sink).not.toHaveProperty('auth');
  });

  it('reads credentials from the environment and JSON options from flags', () => {
    const { connector } = parseCliArgs(
      [
        '--topic',
        'events',
        '--format',
        'json',
        '--id-field',
        'event_id',
        '--version-from',
        'none',
        '--index',
        'events',
        '--no-template',
      ],
      { TRIBUTARY_ES_USERNAME: 'elastic', TRIBUTARY_ES_PASSWORD: 'pw', TRIBUTARY_KAFKA_BROKERS: 'a:1,b:2' },
    );
    expect(connector).toMatchObject({
      brokers: ['a:1', 'b:2'],
      format: 'json',
      idField: 'event_id',
      versionFrom: 'none',
    });
    expect(connector.sink).toMatchObject({ index: 'events', auth: { username: 'elastic', password: 'pw' } });
    expect(connector.sink).not.toHaveProperty('template');
    expect(connector.sink).not.toHaveProperty('indexDateField');
  });

  it('returns help without requiring other flags', () => {
    expect(parseCliArgs(['--help'], {}).help).toBe(true);
  });

  it('names the bad flag', () => {
    expect(() => parseCliArgs([], {})).toThrow(/^--topic is required/);
    expect(() => parseCliArgs(['--topic', 't', '--flush-docs', 'many'], {})).toThrow(
      /^--flush-docs must be a non-negative integer/,
    );
    expect(() => parseCliArgs(['--topic', 't', '--es-username', 'u'], {})).toThrow(
      /^--es-username and --es-password/,
    );
    expect(() => parseCliArgs(['--topic', 't', '--what'], {})).toThrow(/Unknown option '--what'/);
    expect(() => parseCliArgs(['--topic', 't', '--es-ca', '/nonexistent/ca.pem'], {})).toThrow(
      /^--es-ca cannot be read/,
    );
  });
});

describe('parseCliArgs --data-stream', () => {
  it('writes window results to a data stream with op_type create and @timestamp from window_start', () => {
    const { connector } = parseCliArgs(['--topic', 't', '--data-stream', '--index', 'metrics-ds'], {});
    expect(connector.timestampFrom).toBe('window_start');
    expect(connector.sink).toMatchObject({
      index: 'metrics-ds',
      action: 'create',
      template: {
        name: 'metrics-ds',
        indexPatterns: ['metrics-ds'],
        dataStream: true,
        mappings: { properties: { '@timestamp': { type: 'date', format: 'epoch_millis' } } },
      },
    });
    expect(connector.sink.template).not.toHaveProperty('alias');
  });

  it('needs a plain data stream name', () => {
    expect(() => parseCliArgs(['--topic', 't', '--data-stream'], {})).toThrow(/^--data-stream needs --index/);
    expect(() => parseCliArgs(['--topic', 't', '--data-stream', '--index', 'a', '--alias', 'b'], {})).toThrow(
      /^--alias cannot be used/,
    );
  });
});

describe('parseCliArgs observability flags', () => {
  it('has no metrics server and info logs by default', () => {
    expect(parseCliArgs(['--topic', 't'], {})).toMatchObject({
      metricsPort: undefined,
      metricsHost: '127.0.0.1',
      logLevel: 'info',
    });
  });

  it('reads --metrics-port, --metrics-host and --log-level, or their environment variables', () => {
    expect(
      parseCliArgs(
        ['--topic', 't', '--metrics-port', '0', '--metrics-host', '0.0.0.0', '--log-level', 'debug'],
        {},
      ),
    ).toMatchObject({ metricsPort: 0, metricsHost: '0.0.0.0', logLevel: 'debug' });
    expect(
      parseCliArgs(['--topic', 't'], { TRIBUTARY_METRICS_PORT: '9464', TRIBUTARY_LOG_LEVEL: 'warn' }),
    ).toMatchObject({ metricsPort: 9464, logLevel: 'warn' });
    expect(() => parseCliArgs(['--topic', 't'], { TRIBUTARY_METRICS_PORT: 'x' })).toThrow(/--metrics-port/);
  });

  it('maps the dead-letter and shutdown flags; no --dead-letter-topic leaves the default (<topic>-dlq) to the connector', () => {
    expect(parseCliArgs(['--topic', 't'], {}).connector).not.toHaveProperty('deadLetterTopic');
    expect(
      parseCliArgs(
        [
          '--topic',
          't',
          '--dead-letter-topic',
          't-errors',
          '--dead-letter-replication-factor',
          '3',
          '--shutdown-timeout-ms',
          '2000',
          '--retry-deadline-ms',
          '0',
        ],
        {},
      ).connector,
    ).toMatchObject({
      deadLetterTopic: 't-errors',
      deadLetterReplicationFactor: 3,
      shutdownTimeoutMs: 2000,
      sink: { retryDeadlineMs: 0 },
    });
    expect(parseCliArgs(['--topic', 't', '--no-dead-letter-topic'], {}).connector.deadLetterTopic).toBe(
      false,
    );
    expect(() =>
      parseCliArgs(['--topic', 't', '--no-dead-letter-topic', '--dead-letter-topic', 'x'], {}),
    ).toThrow(/^--no-dead-letter-topic contradicts --dead-letter-topic/);
    expect(() => parseCliArgs(['--topic', 't', '--shutdown-timeout-ms', 'soon'], {})).toThrow(
      /^--shutdown-timeout-ms must be a non-negative integer/,
    );
  });
});
