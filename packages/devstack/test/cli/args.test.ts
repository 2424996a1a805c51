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

  it('maps the irregular flags and variables onto their options', () => {
    const cli = parseCli(
      [
        'up',
        '--java',
        '/opt/jdk/bin/java',
        '--mvn',
        'mvnw',
        '--write-threads',
        '2',
        '--auto-create-topics',
        '--cache-dir',
        '/c',
      ],
      { TRIBUTARY_ES_WRITE_THREADS: '4', TRIBUTARY_DEVSTACK_DATA: '/d', TRIBUTARY_DEVSTACK_SERVICES: 'all' },
    );
    expect(cli.options).toEqual({
      javaCommand: '/opt/jdk/bin/java',
      mavenCommand: 'mvnw',
      writeThreadPoolSize: 2,
      autoCreateTopics: true,
      cacheDir: '/c',
      dataDir: '/d',
      services: ['kafka', 'elasticsearch'],
    });
  });

  it('validates the options with the library rules, naming the flag or variable', () => {
    expect(() => parseCli(['up', '--es-port', '9092'], {})).toThrow(
      expect.objectContaining({
        code: 'TRIB_DEVSTACK_INVALID_OPTION',
        message: '--es-port must differ from kafkaPort (both are 9092)',
      }),
    );
    expect(() => parseCli(['status'], { TRIBUTARY_ES_HEAP: 'lots' })).toThrow(
      'TRIBUTARY_ES_HEAP must look like "512m" or "1g" (got "lots")',
    );
    expect(() => parseCli(['up', '--services', 'kafka,zookeeper'], {})).toThrow(
      '--services must only contain kafka, elasticsearch (got "kafka,zookeeper")',
    );
    expect(parseCli(['up', '--services', 'kafka', '--es-port', '9092'], {}).options.esPort).toBe(9092);
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
      detach: false,
    });
    expect(parseCli(['smoke'], {})).toMatchObject({ events: 10_000, partitions: 3 });
    expect(parseCli(['logs', '--lines', '20'], {}).lines).toBe(20);
    expect(parseCli(['--help'], {}).help).toBe(true);
  });

  it('rejects unknown commands, flags and bad numbers with clear messages', () => {
    expect(() => parseCli(['start'], {})).toThrow(
      'command must be one of up, down, status, logs, smoke, restart (got "start")',
    );
    expect(() => parseCli(['up', '--bogus'], {})).toThrow(/bogus/);
    expect(() => parseCli(['up', '--kafka-port', 'x'], {})).toThrow(
      '--kafka-port must be an integer between 1 and 65535 (got "x")',
    );
    expect(() => parseCli(['smoke', '--events', '-1'], {})).toThrow(/events/);
    expect(() => parseCli(['up', 'extra'], {})).toThrow('command takes no arguments');
  });

  it('parses restart: the server, --signal and the same port options and environment', () => {
    const cli = parseCli(['restart', 'kafka', '--signal', 'kill', '--kafka-port', '39092'], {
      TRIBUTARY_KAFKA_CONTROLLER_PORT: '39093',
      TRIBUTARY_KAFKA_HEAP: '256m',
    });
    expect(cli).toMatchObject({ command: 'restart', service: 'kafka', signal: 'SIGKILL' });
    expect(cli.options).toEqual({ kafkaPort: 39092, kafkaControllerPort: 39093, kafkaHeap: '256m' });
    expect(parseCli(['restart', 'kafka'], {}).signal).toBe('SIGTERM');
    expect(parseCli(['restart', 'es', '--signal', 'SIGTERM'], {})).toMatchObject({
      service: 'elasticsearch',
      signal: 'SIGTERM',
    });
    expect(parseCli(['restart', 'elasticsearch', '--signal', 'sigkill'], {})).toMatchObject({
      service: 'elasticsearch',
      signal: 'SIGKILL',
    });
    expect(parseCli(['up'], {})).toMatchObject({ service: undefined, signal: 'SIGTERM' });
    expect(parseCli(['restart', '--help'], {})).toMatchObject({ command: 'restart', help: true });
  });

  it('rejects restart without exactly one known server, and unknown signals', () => {
    const usage = 'restart needs one server to restart: kafka or elasticsearch (es)';
    expect(() => parseCli(['restart'], {})).toThrow(`${usage} (got none)`);
    expect(() => parseCli(['restart', 'zookeeper'], {})).toThrow(`${usage} (got "zookeeper")`);
    expect(() => parseCli(['restart', 'kafka', 'es'], {})).toThrow(`${usage} (got "kafka es")`);
    expect(() => parseCli(['restart', 'all'], {})).toThrow(usage);
    expect(() => parseCli(['restart', 'kafka', '--signal', 'hup'], {})).toThrow(
      '--signal must be term or kill (got "hup")',
    );
  });
});
