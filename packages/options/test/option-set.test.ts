import { describe, expect, it } from 'vitest';
import { defineOptions, option, z } from '../src/index.js';

class InvalidOption extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option} ${message}`);
  }
}

const options = defineOptions(
  {
    brokers: option(z.array(z.string().min(1)).min(1).default(['127.0.0.1:9092']), 'Kafka bootstrap servers'),
    kafkaPort: option(z.int().min(1).max(65_535).default(9092), 'Kafka listener'),
    heap: option(
      z
        .string()
        .regex(/^\d+[mg]$/, 'must look like "512m" or "1g"')
        .default('1g'),
      'JVM heap',
    ),
    guarantee: option(
      z.enum(['exactly-once', 'at-least-once']).default('exactly-once'),
      'processing guarantee',
    ),
    elasticsearch: option(z.boolean().default(true), 'index into Elasticsearch'),
    dashboard: option(z.boolean().default(false), 'serve the dashboard'),
    dashboardPort: option(z.int().min(0).max(65_535).default(8088), 'dashboard port', {
      implies: 'dashboard',
    }),
    cacheDir: option(z.string().min(1).optional(), 'cache', {
      env: 'TRIBUTARY_DEVSTACK_CACHE',
      flag: 'cache',
    }),
    apiKey: option(z.string().optional(), 'API key', { secret: true }),
    properties: option(z.record(z.string(), z.string()).default({}), 'extra properties', { flag: false }),
    log: option(
      z.custom<(line: string) => void>((v) => typeof v === 'function', 'must be a function').optional(),
      'progress lines',
      { flag: false, env: false },
    ),
  },
  {
    component: 'test-tool',
    invalid: (name, message) => new InvalidOption(name, message),
    configFile: { short: 'c' },
    check: (values, fail) => {
      if (values.dashboard && values.dashboardPort === values.kafkaPort)
        fail('dashboardPort', `must differ from kafkaPort (both ${values.kafkaPort})`);
    },
  },
);

function thrown(run: () => unknown): InvalidOption {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOption);
    return error as InvalidOption;
  }
  throw new Error('expected an error');
}

describe('OptionSet.resolve (options in code)', () => {
  it('applies every default', () => {
    expect(options.resolve()).toEqual({
      brokers: ['127.0.0.1:9092'],
      kafkaPort: 9092,
      heap: '1g',
      guarantee: 'exactly-once',
      elasticsearch: true,
      dashboard: false,
      dashboardPort: 8088,
      properties: {},
    });
  });

  it('ignores undefined values and keeps functions', () => {
    const log = (): void => {};
    expect(options.resolve({ kafkaPort: undefined, log }).log).toBe(log);
  });

  it('names the option, the rule and the value', () => {
    expect(thrown(() => options.resolve({ kafkaPort: 0 })).message).toBe('kafkaPort must be >= 1 (got 0)');
    expect(thrown(() => options.resolve({ kafkaPort: 1.5 })).message).toBe(
      'kafkaPort must be an integer (got 1.5)',
    );
    expect(thrown(() => options.resolve({ heap: '1 GB' })).message).toBe(
      'heap must look like "512m" or "1g" (got "1 GB")',
    );
    expect(thrown(() => options.resolve({ guarantee: 'once' as never })).message).toBe(
      'guarantee must be one of exactly-once, at-least-once (got "once")',
    );
    expect(thrown(() => options.resolve({ brokers: [] })).message).toBe('brokers must not be empty (got [])');
    expect(thrown(() => options.resolve({ properties: { a: 1 as never } })).option).toBe('properties.a');
    expect(thrown(() => options.resolve({ log: 'x' as never })).message).toBe(
      'log must be a function (got "x")',
    );
  });

  it('rejects unknown options and non-objects', () => {
    expect(thrown(() => options.resolve({ kafkaPrt: 1 } as never)).message).toBe(
      'kafkaPrt is not an option of test-tool',
    );
    expect(thrown(() => options.resolve(null as never)).option).toBe('options');
  });

  it('runs the cross-option check after the values are valid', () => {
    expect(thrown(() => options.resolve({ dashboard: true, dashboardPort: 9092 })).message).toBe(
      'dashboardPort must differ from kafkaPort (both 9092)',
    );
  });

  it('an explicit option switches on the one it implies, unless that one is given', () => {
    expect(options.resolve({ dashboardPort: 9000 }).dashboard).toBe(true);
    expect(options.resolve({ dashboardPort: 9000, dashboard: false }).dashboard).toBe(false);
    expect(options.resolve().dashboard).toBe(false);
  });
});

describe('OptionSet.parseCommandLine', () => {
  const files: Record<string, string> = {
    'good.json': JSON.stringify({ kafkaPort: 9192, heap: '2g' }),
    'bad.json': JSON.stringify({ kafkaPort: 0 }),
    'unknown.json': JSON.stringify({ port: 1 }),
    'array.json': '[1]',
    'broken.json': '{',
  };
  const readFile = (path: string): string => {
    const text = files[path];
    if (text === undefined) throw new Error('ENOENT: no such file');
    return text;
  };
  const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
    options.parseCommandLine(argv, { env, readFile });

  it('converts flag text by each schema: numbers, lists, booleans, --no-', () => {
    const { values, positionals, given } = parse([
      'up',
      '--kafka-port',
      '30_000',
      '--brokers',
      'a:1, b:2,',
      '--no-elasticsearch',
      '--dashboard',
    ]);
    expect(positionals).toEqual(['up']);
    expect(values).toMatchObject({
      kafkaPort: 30_000,
      brokers: ['a:1', 'b:2'],
      elasticsearch: false,
      dashboard: true,
    });
    expect([...given].sort()).toEqual(['brokers', 'dashboard', 'elasticsearch', 'kafkaPort']);
  });

  it('layers defaults < config file < environment < flags', () => {
    const env = { TRIBUTARY_CONFIG: 'good.json', TRIBUTARY_HEAP: '3g', TRIBUTARY_ELASTICSEARCH: 'no' };
    expect(parse([], env).values).toMatchObject({ kafkaPort: 9192, heap: '3g', elasticsearch: false });
    expect(parse(['--heap', '4g', '-c', 'good.json'], { TRIBUTARY_HEAP: '3g' }).values).toMatchObject({
      kafkaPort: 9192,
      heap: '4g',
    });
  });

  it('uses the spec’s own flag and environment names', () => {
    expect(parse(['--cache', '/c']).values.cacheDir).toBe('/c');
    expect(parse([], { TRIBUTARY_DEVSTACK_CACHE: '/d', TRIBUTARY_CACHE_DIR: '/x' }).values.cacheDir).toBe(
      '/d',
    );
    expect(parse([], { TRIBUTARY_KAFKA_PORT: '' }).values.kafkaPort).toBe(9092);
  });

  it('names a bad value as its source spells it', () => {
    expect(thrown(() => parse(['--kafka-port', 'abc'])).message).toBe(
      '--kafka-port must be a number (got "abc")',
    );
    expect(thrown(() => parse([], { TRIBUTARY_KAFKA_PORT: '70000' })).message).toBe(
      'TRIBUTARY_KAFKA_PORT must be <= 65535 (got "70000")',
    );
    expect(thrown(() => parse(['-c', 'bad.json'])).message).toBe(
      'kafkaPort must be >= 1 (got 0 from config file bad.json)',
    );
    expect(thrown(() => parse(['--dashboard-port', '9092'])).message).toBe(
      '--dashboard-port must differ from kafkaPort (both 9092)',
    );
  });

  it('rejects unknown flags, missing values, contradictions and bad files', () => {
    expect(thrown(() => parse(['--kafka-prt', '1'])).message).toBe(
      '--kafka-prt is not an option of test-tool (see --help)',
    );
    expect(thrown(() => parse(['--kafka-port'])).message).toBe('--kafka-port needs a value');
    expect(thrown(() => parse(['--elasticsearch', '--no-elasticsearch'])).message).toBe(
      '--no-elasticsearch contradicts --elasticsearch',
    );
    expect(thrown(() => parse(['-c', 'unknown.json'])).message).toBe(
      'port is not an option of test-tool (config file unknown.json)',
    );
    expect(thrown(() => parse(['-c', 'array.json'])).message).toMatch(/must hold a JSON object/);
    expect(thrown(() => parse(['-c', 'broken.json'])).message).toMatch(/is not valid JSON/);
    expect(thrown(() => parse(['-c', 'missing.json'])).message).toMatch(
      /cannot read config file missing.json/,
    );
  });

  it('gives an option that accepts false a --no- flag, and reads false from the environment', () => {
    const outputs = defineOptions(
      {
        output: option(
          z.union([z.string().min(1), z.literal(false)]).optional(),
          'output file, or false for none',
        ),
      },
      { component: 'test-tool', invalid: (name, message) => new InvalidOption(name, message) },
    );
    const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
      outputs.parseCommandLine(argv, { env }).values;
    expect(parse(['--output', 'a.txt']).output).toBe('a.txt');
    expect(parse(['--no-output']).output).toBe(false);
    expect(parse([], { TRIBUTARY_OUTPUT: 'false' }).output).toBe(false);
    expect(thrown(() => parse(['--output', 'a.txt', '--no-output'])).message).toBe(
      '--no-output contradicts --output',
    );
    expect(thrown(() => options.parseCommandLine(['--no-kafka-port'], { env: {} })).message).toMatch(
      /^--no-kafka-port is not an option/,
    );
  });

  it('takes a negative number as a flag value, and names a missing required option by its flag', () => {
    const set = defineOptions(
      {
        retentionMs: option(z.int().min(-1), 'retention; -1 = forever'),
        topic: option(z.string().min(1), 'topic'),
      },
      { component: 'test-tool', invalid: (name, message) => new InvalidOption(name, message) },
    );
    expect(
      set.parseCommandLine(['--retention-ms', '-1', '--topic', 't'], { env: {} }).values.retentionMs,
    ).toBe(-1);
    expect(thrown(() => set.parseCommandLine(['--retention-ms', '-1'], { env: {} })).message).toBe(
      '--topic is required',
    );
    expect(thrown(() => set.resolve({ retentionMs: 1 })).option).toBe('topic');
    expect(set.help({ usage: 'x' })).toMatch(/-h, --help +show this help/);
  });

  it('tells the cross-option check where each value came from', () => {
    const sources: Record<string, string | undefined> = {};
    const traced = defineOptions(
      {
        heap: option(z.string().default('1g'), 'JVM heap'),
        kafkaPort: option(z.int().default(9092), 'Kafka listener'),
        dashboard: option(z.boolean().default(false), 'serve the dashboard'),
      },
      {
        component: 'test-tool',
        invalid: (name, message) => new InvalidOption(name, message),
        configFile: {},
        check: (_values, _fail, sourceOf) => {
          for (const key of ['heap', 'kafkaPort', 'dashboard'] as const) sources[key] = sourceOf(key)?.kind;
        },
      },
    );
    traced.parseCommandLine(['--heap', '2g', '--config', 'good.json'], {
      env: { TRIBUTARY_DASHBOARD: 'true' },
      readFile,
    });
    expect(sources).toEqual({ heap: 'flags', kafkaPort: 'file', dashboard: 'env' });
    traced.resolve({ heap: '2g' });
    expect(sources).toEqual({ heap: 'options', kafkaPort: undefined, dashboard: undefined });
  });

  it('fails naming an environment variable that was renamed, instead of ignoring it', () => {
    const renamed = options.extend({}, { renamedEnv: { TRIBUTARY_OLD_PORT: 'TRIBUTARY_KAFKA_PORT' } });
    expect(thrown(() => renamed.parseCommandLine([], { env: { TRIBUTARY_OLD_PORT: '1' } })).message).toBe(
      'TRIBUTARY_OLD_PORT was renamed TRIBUTARY_KAFKA_PORT',
    );
    expect(renamed.parseCommandLine([], { env: {} }).values.kafkaPort).toBe(9092);
  });

  it('stops at --help without validating', () => {
    expect(parse(['--help', '--kafka-port', '0']).help).toBe(true);
  });
});

describe('OptionSet.help and redacted', () => {
  const text = options.help({ usage: 'test-tool [options]', description: 'Does things.', epilogue: 'Bye.' });

  it('shows each option with its variable and default', () => {
    expect(text).toContain('Usage: test-tool [options]');
    expect(text).toMatch(/--kafka-port <n> +Kafka listener \[TRIBUTARY_KAFKA_PORT, default 9092\]/);
    expect(text).toMatch(
      /--brokers <list> +Kafka bootstrap servers \[TRIBUTARY_BROKERS, default 127.0.0.1:9092\]/,
    );
    expect(text).toMatch(/--guarantee exactly-once\|at-least-once/);
    expect(text).toMatch(/--no-elasticsearch +index into Elasticsearch \(on by default/);
    expect(text).toMatch(/-c, --config <file> +JSON file of options/);
    expect(text).not.toContain('--properties');
    expect(text).not.toContain('--log');
    expect(text.endsWith('Bye.')).toBe(true);
  });

  it('never shows a secret', () => {
    const values = options.resolve({ apiKey: 's3cret' });
    expect(JSON.stringify(options.redacted(values))).not.toContain('s3cret');
    expect(options.redacted(values).apiKey).toBe('***');
    expect(thrown(() => options.resolve({ apiKey: { key: 's3cret' } as never })).message).toBe(
      'apiKey must be a string (got ***)',
    );
  });

  it('shows a partly secret value through its redact function', () => {
    const hide = (url: unknown): unknown =>
      typeof url === 'string' ? url.replace(/\/\/[^/@]*@/, '//***@') : url;
    const hideUserinfo = (v: unknown): unknown => (Array.isArray(v) ? v.map(hide) : hide(v));
    const urls = defineOptions(
      {
        nodes: option(z.array(z.string().startsWith('http')).min(1), 'nodes', { redact: hideUserinfo }),
        portNumber: option(z.int().optional(), 'port', { redact: hideUserinfo }),
      },
      { component: 'test-tool', invalid: (name, message) => new InvalidOption(name, message) },
    );
    const values = urls.resolve({ nodes: ['http://u:pw1@a:9200', 'http://b:9200'] });
    expect(urls.redacted(values)).toEqual({ nodes: ['http://***@a:9200', 'http://b:9200'] });
    expect(values.nodes[0]).toBe('http://u:pw1@a:9200');
    const message = thrown(() =>
      urls.parseCommandLine(['--nodes', 'x://u:pw2@a,http://b'], { env: {} }),
    ).message;
    expect(message).not.toContain('pw2');
    expect(message).toMatch(/^--nodes\.0 /);
  });

  it('extends a library’s options with a CLI’s own', () => {
    const cli = options.extend({ json: option(z.boolean().default(false), 'print JSON') });
    expect(cli.parseCommandLine(['--json'], { env: {} }).values).toMatchObject({
      json: true,
      kafkaPort: 9092,
    });
  });
});
