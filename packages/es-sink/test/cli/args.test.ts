import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHelp, parseCliArgs as parseAll } from '../../src/cli/args.js';

/** The configuration of a run (not --help). */
function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv) {
  const config = parseAll(argv, env);
  if (config.help) throw new Error('expected a run, not --help');
  return config;
}

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
        node: ['http://127.0.0.1:9200'],
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
    expect(connector.sink).toMatchObject({
      index: 'events',
      auth: { username: 'elastic', password: 'pw' },
    });
    expect(connector.sink).not.toHaveProperty('template');
    expect(connector.sink).not.toHaveProperty('indexDateField');
  });

  it('returns help without requiring other flags', () => {
    expect(parseAll(['--help'], {}).help).toBe(true);
    expect(parseAll(['-h', '--flush-docs', 'many'], {}).help).toBe(true);
  });

  it('names the bad flag or variable', () => {
    expect(() => parseCliArgs([], {})).toThrow(/^--topic is required$/);
    expect(() => parseCliArgs(['--topic', 't', '--flush-docs', 'many'], {})).toThrow(
      /^--flush-docs must be a number \(got "many"\)/,
    );
    expect(() => parseCliArgs(['--topic', 't', '--flush-docs', '0'], {})).toThrow(
      /^--flush-docs must be >= 1/,
    );
    expect(() => parseCliArgs(['--topic', 't'], { TRIBUTARY_FLUSH_DOCS: '1.5' })).toThrow(
      /^TRIBUTARY_FLUSH_DOCS must be an integer \(got "1.5"\)/,
    );
    expect(() => parseCliArgs(['--topic', 't', '--es-username', 'u'], {})).toThrow(
      /^--es-username needs a password too: TRIBUTARY_ES_PASSWORD or --es-password-file \(TRIBUTARY_ES_PASSWORD_FILE\)/,
    );
    expect(() => parseCliArgs(['--topic', 't'], { TRIBUTARY_ES_PASSWORD: 'pw' })).toThrow(
      /^TRIBUTARY_ES_PASSWORD needs --es-username \(TRIBUTARY_ES_USERNAME\) too/,
    );
    expect(() =>
      parseCliArgs(['--topic', 't', '--es-username', 'u'], {
        TRIBUTARY_ES_PASSWORD: 'pw',
        TRIBUTARY_ES_API_KEY: 'k',
      }),
    ).toThrow(/^TRIBUTARY_ES_API_KEY cannot be used with --es-username \(TRIBUTARY_ES_USERNAME\)/);
    expect(() => parseCliArgs(['--topic', 't', '--what'], {})).toThrow(
      /^--what is not an option of tributary-es-sink/,
    );
    expect(() => parseCliArgs(['--topic', 't', 'extra'], {})).toThrow(
      /^extra is not an option of tributary-es-sink/,
    );
    expect(() => parseCliArgs(['--topic', 't', '--es-ca-file', '/nonexistent/ca.pem'], {})).toThrow(
      /^--es-ca-file cannot be read: .*ENOENT/,
    );
    expect(() => parseCliArgs(['--topic', 't', '--low-water-mark', '6000'], {})).toThrow(
      /^--low-water-mark must be below highWaterMark \(5000\)/,
    );
    expect(() => parseCliArgs(['--topic', 't', '--brokers', 'nohost'], {})).toThrow(
      /^--brokers\.0 must be host:port/,
    );
  });

  it('never quotes a credential in a message, and takes none on the command line', () => {
    const message = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a failure');
    };
    const dir = mkdtempSync(join(tmpdir(), 'es-sink-secret-'));
    writeFileSync(join(dir, 'sink.json'), JSON.stringify({ topic: 't', esPassword: 1234567 }));
    expect(message(() => parseCliArgs(['-c', join(dir, 'sink.json')], {}))).toMatch(
      /^esPassword must be a string \(got \*\*\* from config file /,
    );
    rmSync(dir, { recursive: true });
    expect(message(() => parseCliArgs(['--topic', 't', '--es-api-key', 'k-77'], {}))).toMatch(
      /^--es-api-key is not an option of tributary-es-sink/,
    );
    expect(message(() => parseCliArgs(['--topic', 't', '--es-password', 'pw-77'], {}))).toMatch(
      /^--es-password is not an option/,
    );
    const url = message(() =>
      parseCliArgs(['--topic', 't', '--es-url', 'http://u:pw-78@h:9200,ftp://u:pw-79@h'], {}),
    );
    expect(url).toBe('--es-url must list http(s) URLs like http://127.0.0.1:9200 (got "ftp://***:***@h")');
  });

  it('takes the Elasticsearch connection from the shared options', () => {
    const dir = mkdtempSync(join(tmpdir(), 'es-sink-connection-'));
    const keyFile = join(dir, 'api-key');
    writeFileSync(keyFile, 'a2V5LWZyb20tZmlsZQ==\n');
    const { connector } = parseCliArgs(
      ['--topic', 't', '--es-url', 'https://es-1:9200,https://es-2:9200', '--es-api-key-file', keyFile],
      { TRIBUTARY_ES_CA_FINGERPRINT: 'AB:'.repeat(31) + 'AB' },
    );
    expect(connector.sink).toMatchObject({
      node: ['https://es-1:9200', 'https://es-2:9200'],
      auth: { apiKey: 'a2V5LWZyb20tZmlsZQ==' },
      tls: { rejectUnauthorized: false },
      caFingerprint: 'AB:'.repeat(31) + 'AB',
    });
    rmSync(dir, { recursive: true });
  });

  it('reads a JSON config file (--config / TRIBUTARY_CONFIG) under the environment and the flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'es-sink-config-'));
    const file = join(dir, 'sink.json');
    writeFileSync(file, JSON.stringify({ topic: 'from-file', flushDocs: 200, esUrl: 'http://es:9200' }));
    const config = parseCliArgs(['--config', file, '--flush-docs', '300'], {
      TRIBUTARY_ES_URL: 'http://env:9200',
    });
    expect(config.connector).toMatchObject({
      topic: 'from-file',
      sink: { flushDocs: 300, node: ['http://env:9200'] },
    });
    expect(parseCliArgs([], { TRIBUTARY_CONFIG: file }).connector.topic).toBe('from-file');
    writeFileSync(file, JSON.stringify({ topic: 't', flushDoc: 1 }));
    expect(() => parseCliArgs(['-c', file], {})).toThrow(/^flushDoc is not an option of tributary-es-sink/);
    rmSync(dir, { recursive: true });
  });

  it('derives --help from the options', () => {
    const help = cliHelp();
    expect(help).toMatch(/^Usage: tributary-es-sink --topic <topic> \[options\]/);
    expect(help).toMatch(
      /--brokers <host:port,…> +Kafka bootstrap servers \[TRIBUTARY_KAFKA_BROKERS, default 127.0.0.1:9092\]/,
    );
    expect(help).toMatch(
      /--es-url <urls> +Elasticsearch node URLs, comma-separated \[TRIBUTARY_ES_URL, default http:\/\/127.0.0.1:9200\]/,
    );
    expect(help).toMatch(
      /--es-password-file <file> +file holding the password \(or the password in TRIBUTARY_ES_PASSWORD\) \[TRIBUTARY_ES_PASSWORD_FILE\]/,
    );
    expect(help).toMatch(/--es-ca-fingerprint <sha256> /);
    expect(help).not.toMatch(/--es-password |--es-api-key /);
    expect(help).toMatch(/--no-template +install the index template \(on by default/);
    expect(help).toMatch(/--dead-letter-topic <name> +.*--no-dead-letter-topic: none/);
    expect(help).toMatch(/--flush-bytes <n> +.*default 5 MiB/);
    expect(help).toMatch(/--format window-result\|json/);
    expect(help).toMatch(/-c, --config <file>/);
    expect(help).toMatch(/Exit codes: 0 after a clean shutdown/);
    for (const internal of [
      '--client ',
      '--auth',
      '--on-ack',
      '--registry',
      '--refresh ',
      '--sink',
      '--logger',
    ])
      expect(help).not.toContain(internal);
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
    const config = parseCliArgs(['--topic', 't'], {});
    expect(config).toMatchObject({ metricsHost: '127.0.0.1', logLevel: 'info' });
    expect(config.metricsPort).toBeUndefined();
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
    expect(() => parseCliArgs(['--topic', 't'], { TRIBUTARY_METRICS_PORT: 'x' })).toThrow(
      /^TRIBUTARY_METRICS_PORT must be a number/,
    );
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
    expect(
      parseCliArgs(['--topic', 't'], { TRIBUTARY_DEAD_LETTER_TOPIC: 'false' }).connector.deadLetterTopic,
    ).toBe(false);
    expect(() => parseCliArgs(['--topic', 't', '--dead-letter-topic', 't'], {})).toThrow(
      /^--dead-letter-topic must differ from topic/,
    );
    expect(() => parseCliArgs(['--topic', 't', '--shutdown-timeout-ms', 'soon'], {})).toThrow(
      /^--shutdown-timeout-ms must be a number \(got "soon"\)/,
    );
  });
});
