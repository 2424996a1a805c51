import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_OPTIONS, SERVE_OPTIONS } from '../../src/cli/commands.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const run = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  RUN_OPTIONS.parseCommandLine(argv, { env }).values;

describe('command options', () => {
  it('map flags, environment and a config file onto one options object: file < env < flags', async () => {
    dir = await mkdtemp(join(tmpdir(), 'producer-cli-'));
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ rate: 100, topic: 'from-file', seed: 1, durationMs: '1m' }));
    const { values, given } = RUN_OPTIONS.parseCommandLine(
      ['--config', config, '--seed', '3', '--late-rate', '0.01', '--duration', '5s', '--no-headers'],
      {
        env: {
          TRIBUTARY_TOPIC: 'from-env',
          TRIBUTARY_SEED: '2',
          TRIBUTARY_CREATE_TOPIC: 'false',
          TRIBUTARY_BROKERS: 'a:1,b:2',
        },
      },
    );
    expect(values).toMatchObject({
      rate: 100,
      topic: 'from-env',
      seed: 3,
      lateRate: 0.01,
      durationMs: 5000,
      recordHeaders: false,
      createTopic: false,
      brokers: ['a:1', 'b:2'],
      json: false,
    });
    expect([...given].sort()).toEqual(
      ['brokers', 'createTopic', 'durationMs', 'lateRate', 'rate', 'recordHeaders', 'seed', 'topic'].sort(),
    );
  });

  it('keep the flag and variable names of before', () => {
    const names = (keys: (keyof typeof RUN_OPTIONS.specs)[]) =>
      keys.map((key) => [RUN_OPTIONS.flagName(key), RUN_OPTIONS.envName(key)]);
    expect(
      names(['brokers', 'outOfOrderRate', 'createTopic', 'zipfExponent', 'recordHeaders', 'manifestPath']),
    ).toEqual([
      ['brokers', 'TRIBUTARY_BROKERS'],
      ['out-of-order-rate', 'TRIBUTARY_OUT_OF_ORDER_RATE'],
      ['create-topic', 'TRIBUTARY_CREATE_TOPIC'],
      ['zipf', 'TRIBUTARY_ZIPF'],
      ['headers', 'TRIBUTARY_HEADERS'],
      ['manifest', 'TRIBUTARY_MANIFEST'],
    ]);
    expect(RUN_OPTIONS.envName('json')).toBeUndefined();
    expect(SERVE_OPTIONS.flagName('maxEventsPerRequest')).toBe('max-events');
    expect(SERVE_OPTIONS.envName('logLevel')).toBe('TRIBUTARY_LOG_LEVEL');
    expect(SERVE_OPTIONS.flagName('logger')).toBeUndefined();
    expect(run(['--no-create-topic']).createTopic).toBe(false);
  });

  it('fail clearly on unreadable or non-object config files, with the config file code', async () => {
    const d = await mkdtemp(join(tmpdir(), 'producer-cli-'));
    dir = d;
    const bad = join(d, 'bad.json');
    await writeFile(bad, '[1, 2]');
    expect(() => run(['--config', bad])).toThrow(
      expect.objectContaining({
        code: 'TRIB_PRODUCER_CONFIG_FILE',
        message: expect.stringMatching(/must hold a JSON object/),
      }),
    );
    expect(() => run([], { TRIBUTARY_CONFIG: join(d, 'missing.json') })).toThrow(/cannot read config file/);
    expect(() => run(['--rate', 'fast'])).toThrow(
      expect.objectContaining({
        code: 'TRIB_PRODUCER_INVALID_OPTION',
        message: '--rate must be a number (got "fast")',
      }),
    );
  });

  it('take --sender-threads as a number or auto, from flags and environment', () => {
    expect(run(['--sender-threads', '2']).senderThreads).toBe(2);
    expect(run(['--sender-threads', 'auto']).senderThreads).toBe('auto');
    expect(run([], { TRIBUTARY_SENDER_THREADS: '0' }).senderThreads).toBe(0);
    expect(() => run(['--sender-threads', 'two'])).toThrow(
      /^--sender-threads must be 'auto' or an integer from 0 to 64 \(got "two"\)$/,
    );
  });
});
