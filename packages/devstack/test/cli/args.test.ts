import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';

describe('parseCli', () => {
  it('maps flags onto devstack options, over the environment', () => {
    const cli = parseCli(
      [
        'up',
        '--detach',
        '--kafka-port',
        '19092',
        '--es-heap',
        '512m',
        '--services',
        'kafka',
        '--no-reuse',
        '--write-queue-size',
        '1',
      ],
      { TRIBUTARY_KAFKA_PORT: '29092', TRIBUTARY_ES_PORT: '29200' },
    );
    expect(cli.command).toBe('up');
    expect(cli.detach).toBe(true);
    expect(cli.options).toEqual({
      kafkaPort: 19092,
      esPort: 29200,
      esHeap: '512m',
      services: ['kafka'],
      reuse: false,
      writeQueueSize: 1,
    });
  });

  it('reads command-specific flags', () => {
    const cli = parseCli(['smoke', '--events', '500', '--partitions', '6', '--json', '-q'], {});
    expect(cli).toMatchObject({
      command: 'smoke',
      events: 500,
      partitions: 6,
      json: true,
      quiet: true,
      lines: 100,
    });
    expect(parseCli(['logs', '--lines', '20'], {}).lines).toBe(20);
    expect(parseCli(['--help'], {}).help).toBe(true);
  });

  it('rejects unknown commands, flags and bad numbers with clear messages', () => {
    expect(() => parseCli(['start'], {})).toThrow(
      'command must be one of up, down, status, logs, smoke (got "start")',
    );
    expect(() => parseCli(['up', '--bogus'], {})).toThrow(/bogus/);
    expect(() => parseCli(['up', '--kafka-port', 'x'], {})).toThrow(
      '--kafka-port must be an integer (got "x")',
    );
    expect(() => parseCli(['smoke', '--events', '-1'], {})).toThrow(/events/);
    expect(() => parseCli(['up', 'extra'], {})).toThrow('command takes no arguments');
  });
});
