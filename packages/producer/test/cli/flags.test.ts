import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_FLAGS } from '../../src/cli/commands.js';
import { collectOptions, envName } from '../../src/cli/flags.js';
import { parseBytes, parseDuration } from '../../src/cli/option-values.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('option values', () => {
  it('parses durations and sizes', () => {
    expect(parseDuration('--duration', '30s')).toBe(30_000);
    expect(parseDuration('--linger', '500ms')).toBe(500);
    expect(parseDuration('--dedup-ttl', '10m')).toBe(600_000);
    expect(parseDuration('--retention', '7d')).toBe(604_800_000);
    expect(parseDuration('--linger', '2.5')).toBe(3);
    expect(() => parseDuration('--duration', 'soon')).toThrow(/--duration must be a duration/);
    expect(parseBytes('--max-body', '1mb')).toBe(1_048_576);
    expect(parseBytes('--max-body', '512kb')).toBe(524_288);
    expect(() => parseBytes('--max-body', '1 parsec')).toThrow(/--max-body must be a size/);
  });
});

describe('collectOptions', () => {
  it('maps flags, environment and a config file onto one options object: file < env < flags', async () => {
    dir = await mkdtemp(join(tmpdir(), 'producer-cli-'));
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ rate: 100, topic: 'from-file', seed: 1 }));
    const options = collectOptions(
      RUN_FLAGS,
      { seed: '3', 'late-rate': '0.01', duration: '5s', 'no-headers': true, brokers: 'a:1,b:2' },
      { TRIBUTARY_TOPIC: 'from-env', TRIBUTARY_SEED: '2', TRIBUTARY_CREATE_TOPIC: 'false' },
      config,
    );
    expect(options).toEqual({
      rate: 100,
      topic: 'from-env',
      seed: 3,
      lateRate: 0.01,
      durationMs: 5000,
      recordHeaders: false,
      createTopic: false,
      brokers: ['a:1', 'b:2'],
    });
  });

  it('names environment variables after the flags', () => {
    expect(
      RUN_FLAGS.find((f) => f.flag === 'brokers') && envName(RUN_FLAGS.find((f) => f.flag === 'brokers')!),
    ).toBe('TRIBUTARY_BROKERS');
    expect(envName(RUN_FLAGS.find((f) => f.flag === 'out-of-order-rate')!)).toBe(
      'TRIBUTARY_OUT_OF_ORDER_RATE',
    );
    expect(envName(RUN_FLAGS.find((f) => f.flag === 'no-create-topic')!)).toBe('TRIBUTARY_CREATE_TOPIC');
  });

  it('fails clearly on unreadable or non-object config files', async () => {
    const d = await mkdtemp(join(tmpdir(), 'producer-cli-'));
    dir = d;
    const bad = join(d, 'bad.json');
    await writeFile(bad, '[1, 2]');
    expect(() => collectOptions(RUN_FLAGS, {}, {}, bad)).toThrow(/must hold a JSON object/);
    expect(() => collectOptions(RUN_FLAGS, {}, {}, join(d, 'missing.json'))).toThrow(
      /cannot read config file/,
    );
    expect(() => collectOptions(RUN_FLAGS, { rate: 'fast' }, {}, undefined)).toThrow(
      /--rate must be a number/,
    );
  });

  it('takes --sender-threads as a number or auto, from flags and environment', () => {
    expect(collectOptions(RUN_FLAGS, { 'sender-threads': '2' }, {}, undefined)).toEqual({ senderThreads: 2 });
    expect(collectOptions(RUN_FLAGS, { 'sender-threads': 'AUTO' }, {}, undefined)).toEqual({
      senderThreads: 'auto',
    });
    expect(collectOptions(RUN_FLAGS, {}, { TRIBUTARY_SENDER_THREADS: '0' }, undefined)).toEqual({
      senderThreads: 0,
    });
    expect(() => collectOptions(RUN_FLAGS, { 'sender-threads': 'two' }, {}, undefined)).toThrow(
      /--sender-threads must be a number \(got "two"\)/,
    );
  });
});
