import { describe, expect, it } from 'vitest';
import { helpText, parseCli, printedConfig, runningLine } from '../../src/config/cli-options.js';

const files: Record<string, string> = {
  'good.json': JSON.stringify({ resultsTopic: 'from-file', windowSizeMs: 30_000, commitIntervalMs: 500 }),
  'bad.json': '{ nope',
  'list.json': '[1, 2]',
};
const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new Error('ENOENT');
  return text;
};

describe('parseCli', () => {
  it('never prints an Elasticsearch credential: --print-config, the running line, messages', () => {
    const runs: [string[], NodeJS.ProcessEnv, string?][] = [
      [['--es-url', 'https://elastic:pw-url-1@es-1:9200,https://elastic:pw-url-1@es-2:9200'], {}],
      [['--es-url', 'https://es-1:9200'], { TRIBUTARY_ES_API_KEY: 'key-2' }],
      [['--es-username', 'elastic'], { TRIBUTARY_ES_PASSWORD: 'pw-3' }],
      [['--config', 'secret.json'], {}, JSON.stringify({ esUsername: 'elastic', esPassword: 'pw-4' })],
    ];
    for (const [argv, env, file] of runs) {
      const parsed = parseCli(['clickstream', ...argv], { env, readFile: () => file ?? '{}' });
      if (parsed.kind !== 'run') throw new Error('expected a run');
      const printed = `${printedConfig(parsed.config)}\n${runningLine(parsed.config)}`;
      expect(printed).not.toMatch(/pw-url-1|key-2|pw-3|pw-4/);
      expect(printed).toContain('tributary-processor: clickstream running');
    }
    const first = parseCli(['clickstream', '--es-url', 'https://elastic:pw-url-1@es-1:9200'], { env: {} });
    if (first.kind !== 'run') throw new Error('expected a run');
    expect(JSON.parse(printedConfig(first.config))).toMatchObject({ esUrl: ['https://***:***@es-1:9200'] });
    expect(runningLine(first.config)).toMatch(
      /→ https:\/\/\*\*\*:\*\*\*@es-1:9200 alias clickstream-metrics$/,
    );
    const second = parseCli(['clickstream'], { env: { TRIBUTARY_ES_API_KEY: 'key-2' } });
    expect(second.kind === 'run' && JSON.parse(printedConfig(second.config)).esApiKey).toBe('***');
    for (const argv of [
      ['--es-url', 'ftp://elastic:pw-5@h'],
      ['--es-url', 'http://elastic:pw-5@h', '--es-username', 'u'],
    ])
      expect(() => parseCli(['clickstream', ...argv], { env: { TRIBUTARY_ES_PASSWORD: 'pw-6' } })).toThrow(
        expect.objectContaining({ message: expect.not.stringMatching(/pw-5|pw-6/) }),
      );
    expect(() => parseCli(['clickstream', '--es-password', 'pw-7'], { env: {} })).toThrow(
      /^--es-password is not an option of tributary-processor/,
    );
  });

  it('shows help for --help and for no command', () => {
    expect(parseCli(['--help'], { env: {} })).toMatchObject({ kind: 'help' });
    expect(parseCli([], { env: {} })).toMatchObject({ kind: 'help' });
    expect(helpText()).toContain('--out-of-orderness-ms <n>');
    expect(helpText()).toContain('TRIBUTARY_BROKERS');
  });

  it("maps the connectors' dead-letter topics from flags and lists them with their defaults in --help", () => {
    expect(
      parseCli(
        ['clickstream', '--index-dead-letter-topic', 'm-dlq', '--events-index-dead-letter-topic=e-dlq'],
        {
          env: {},
        },
      ),
    ).toMatchObject({ config: { indexDeadLetterTopic: 'm-dlq', eventsIndexDeadLetterTopic: 'e-dlq' } });
    expect(helpText()).toMatch(
      /--index-dead-letter-topic <topic> .*\[TRIBUTARY_INDEX_DEAD_LETTER_TOPIC, default clickstream-metrics-dlq\]/,
    );
    expect(helpText()).toMatch(
      /--events-index-dead-letter-topic <topic>\s.*default clickstream-enriched-dlq\]/s,
    );
  });

  it('maps --dashboard, --dashboard-port, TRIBUTARY_DASHBOARD_* and config-file keys onto the config', () => {
    expect(parseCli(['clickstream', '--dashboard'], { env: {} })).toMatchObject({
      config: { dashboard: true, dashboardPort: 8088 },
    });
    expect(parseCli(['clickstream', '--dashboard-port', '0'], { env: {} })).toMatchObject({
      config: { dashboard: true, dashboardPort: 0 },
    });
    expect(parseCli(['clickstream', '--dashboard-port=9001'], { env: {} })).toMatchObject({
      config: { dashboard: true, dashboardPort: 9001 },
    });
    expect(
      parseCli(['clickstream'], { env: { TRIBUTARY_DASHBOARD: 'true', TRIBUTARY_DASHBOARD_PORT: '9002' } }),
    ).toMatchObject({ config: { dashboard: true, dashboardPort: 9002 } });
    const fromFile = parseCli(['clickstream', '--config', 'dash.json'], {
      env: {},
      readFile: () => JSON.stringify({ dashboard: true, dashboardPort: 9003 }),
    });
    expect(fromFile).toMatchObject({ config: { dashboard: true, dashboardPort: 9003 } });
    expect(helpText()).toContain('--dashboard ');
    expect(helpText()).toContain('--dashboard-port <n>');
    expect(helpText()).toContain('TRIBUTARY_DASHBOARD_PORT');
  });

  it('rejects a bad dashboard port naming the option as it was given', () => {
    expect(() => parseCli(['clickstream', '--dashboard-port', 'x'], { env: {} })).toThrow(
      expect.objectContaining({
        code: 'TRIB_PROC_INVALID_OPTION',
        option: '--dashboard-port',
        message: '--dashboard-port must be a number (got "x")',
      }),
    );
    expect(() => parseCli(['clickstream', '--dashboard-port'], { env: {} })).toThrow(/--dashboard-port/);
    expect(() => parseCli(['clickstream'], { env: { TRIBUTARY_DASHBOARD: 'maybe' } })).toThrow(
      'TRIBUTARY_DASHBOARD must be a boolean (got "maybe")',
    );
  });

  it('maps --enriched-events and the table topics onto the config', () => {
    const parsed = parseCli(['clickstream', '--enriched-events', '--pages-topic', 'pg'], {
      env: { TRIBUTARY_WATERMARK_HEARTBEAT_MS: '250' },
    });
    expect(parsed).toMatchObject({
      kind: 'run',
      config: {
        enrichedEvents: true,
        pagesTopic: 'pg',
        usersTopic: 'clickstream-users',
        enrichedTopic: 'clickstream-enriched',
        eventsIndexPrefix: 'clickstream-events',
        watermarkHeartbeatMs: 250,
      },
    });
    expect(() => parseCli(['clickstream', '--watermark-heartbeat-ms', '0'], { env: {} })).toThrow(
      '--watermark-heartbeat-ms must be >= 1 (got "0")',
    );
  });

  it('decodes with the projection by default; --full-decode, TRIBUTARY_FULL_DECODE and fullDecode select the full decoder', () => {
    expect(parseCli(['clickstream'], { env: {} })).toMatchObject({ config: { fullDecode: false } });
    expect(parseCli(['clickstream', '--full-decode'], { env: {} })).toMatchObject({
      config: { fullDecode: true },
    });
    expect(parseCli(['clickstream'], { env: { TRIBUTARY_FULL_DECODE: 'true' } })).toMatchObject({
      config: { fullDecode: true },
    });
    expect(
      parseCli(['clickstream', '-c', 'f.json'], {
        env: {},
        readFile: () => JSON.stringify({ fullDecode: true }),
      }),
    ).toMatchObject({ config: { fullDecode: true } });
    expect(helpText()).toContain('--full-decode ');
    expect(helpText()).toContain('TRIBUTARY_FULL_DECODE');
  });

  it('still accepts the former --projection-decode (now the default) and its env / file keys', () => {
    const config = (argv: string[], env: NodeJS.ProcessEnv = {}, file?: object): unknown =>
      parseCli(argv, {
        env,
        ...(file === undefined ? {} : { readFile: () => JSON.stringify(file) }),
      });
    expect(config(['clickstream', '--projection-decode'])).toMatchObject({ config: { fullDecode: false } });
    expect(config(['clickstream'], { TRIBUTARY_PROJECTION_DECODE: 'true' })).toMatchObject({
      config: { fullDecode: false },
    });
    expect(config(['clickstream'], { TRIBUTARY_PROJECTION_DECODE: 'false' })).toMatchObject({
      config: { fullDecode: true },
    });
    expect(config(['clickstream', '-c', 'f.json'], {}, { projectionDecode: false })).toMatchObject({
      config: { fullDecode: true },
    });
    // a later layer's alias overrides an earlier layer's option, like any option
    expect(config(['clickstream', '--projection-decode'], { TRIBUTARY_FULL_DECODE: 'true' })).toMatchObject({
      config: { fullDecode: false },
    });
    expect(() => config(['clickstream', '--projection-decode', '--full-decode'])).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_INVALID_OPTION', option: '--projection-decode' }),
    );
    expect(() =>
      config(['clickstream', '--full-decode'], { TRIBUTARY_PROJECTION_DECODE: 'true' }),
    ).not.toThrow();
    expect(() => config(['clickstream'], { TRIBUTARY_PROJECTION_DECODE: 'maybe' })).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_INVALID_OPTION', option: 'TRIBUTARY_PROJECTION_DECODE' }),
    );
    expect(helpText()).toContain('--projection-decode');
    expect(config(['clickstream', '--projection-decode', '--print-config'])).not.toHaveProperty(
      'config.projectionDecode',
    );
  });

  it('layers defaults < file < env < flags', () => {
    const parsed = parseCli(
      ['clickstream', '--config', 'good.json', '--window-size-ms', '20000', '--no-elasticsearch'],
      {
        env: { TRIBUTARY_WINDOW_SIZE_MS: '40000', TRIBUTARY_COMMIT_INTERVAL_MS: '250' },
        readFile,
      },
    );
    expect(parsed.kind).toBe('run');
    if (parsed.kind !== 'run') return;
    expect(parsed.config.resultsTopic).toBe('from-file');
    expect(parsed.config.commitIntervalMs).toBe(250);
    expect(parsed.config.windowSizeMs).toBe(20_000);
    expect(parsed.config.elasticsearch).toBe(false);
    expect(parsed.printConfig).toBe(false);
  });

  it('reads the config file named by TRIBUTARY_CONFIG', () => {
    const parsed = parseCli(['clickstream', '--print-config'], {
      env: { TRIBUTARY_CONFIG: 'good.json' },
      readFile,
    });
    expect(parsed).toMatchObject({ kind: 'run', printConfig: true, config: { resultsTopic: 'from-file' } });
  });

  it.each([
    [['clickstream', '--window-size-ms=-5'], '--window-size-ms'],
    [['clickstream', '--bogus'], '--bogus'],
    [['sessions'], 'command'],
    [['clickstream', 'extra'], 'arguments'],
    [['clickstream', '--elasticsearch', '--no-elasticsearch'], '--no-elasticsearch'],
  ])('rejects %j naming %s', (argv, option) => {
    expect(() => parseCli(argv, { env: {}, readFile })).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_INVALID_OPTION', option }),
    );
  });

  it('fails clearly on unreadable or invalid config files', () => {
    expect(() => parseCli(['clickstream', '-c', 'missing.json'], { env: {}, readFile })).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_CONFIG_FILE_INVALID' }),
    );
    expect(() => parseCli(['clickstream', '-c', 'bad.json'], { env: {}, readFile })).toThrow(
      expect.objectContaining({
        code: 'TRIB_PROC_CONFIG_FILE_INVALID',
        message: expect.stringContaining('not valid JSON'),
      }),
    );
    expect(() => parseCli(['clickstream', '-c', 'list.json'], { env: {}, readFile })).toThrow(
      expect.objectContaining({
        code: 'TRIB_PROC_CONFIG_FILE_INVALID',
        message: 'config file list.json must hold a JSON object',
      }),
    );
    expect(() => parseCli(['clickstream', '-c'], { env: {}, readFile })).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_INVALID_OPTION', message: '-c needs a value' }),
    );
  });
});
