import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/main.js';

function io(env: NodeJS.ProcessEnv = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => out.push(l), stderr: (l) => err.push(l), env, onSignal: () => undefined };
}

describe('tributary-produce CLI', () => {
  it('prints help for the tool and each command', async () => {
    const a = io();
    expect(await main(['--help'], a)).toBe(0);
    expect(a.out.join('\n')).toMatch(/Commands:\n\s+run\s+open-loop load generator/);
    const b = io();
    expect(await main(['run', '--help'], b)).toBe(0);
    expect(b.out.join('\n')).toMatch(
      /--late-rate <n>\s+share of events late beyond allowed lateness \[TRIBUTARY_LATE_RATE, default 0\]/,
    );
    const c = io();
    expect(await main(['serve', '--help'], c)).toBe(0);
    expect(c.out.join('\n')).toMatch(/--max-in-flight-events <n>/);
    expect(c.out.join('\n')).toMatch(/--log-level fatal\|error\|warn\|info/);
  });

  it('exits 2 with a clear message on bad input, before touching Kafka', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [[], {}, /Usage/],
      [['launch'], {}, /unknown command "launch"/],
      [['run', '--bogus'], {}, /--bogus is not an option of tributary-produce run \(see --help\)/],
      [['run', 'now'], {}, /now is not an argument of tributary-produce run/],
      [['run', '--rate', 'abc'], {}, /TRIB_PRODUCER_INVALID_OPTION: --rate must be a number \(got "abc"\)/],
      [['run', '--late-rate', '2'], {}, /--late-rate must be <= 1 \(got "2"\)/],
      [
        ['run', '--late-rate', '0.6', '--duplicate-rate', '0.6'],
        {},
        /--duplicate-rate makes the fault rates add up to 1.2/,
      ],
      [['run', '--duration', 'soon'], {}, /--duration must be a duration like 500ms, 30s/],
      [['run'], { TRIBUTARY_COMPRESSION: 'brotli' }, /TRIBUTARY_COMPRESSION must be one of none, gzip, lz4/],
      [['serve', '--port=70000'], {}, /--port must be <= 65535 \(got "70000"\)/],
      [['serve', '--log-level', 'loud'], {}, /--log-level must be one of fatal, error, warn, info, debug/],
      [
        ['run', '--config', '/nonexistent/tributary.json'],
        {},
        /TRIB_PRODUCER_CONFIG_FILE: cannot read config file/,
      ],
    ];
    for (const [argv, env, message] of cases) {
      const x = io(env);
      expect(await main(argv, x)).toBe(2);
      expect([...x.err, ...x.out].join('\n')).toMatch(message);
    }
  });

  it('names the missing codec package for snappy and zstd', async () => {
    const x = io();
    expect(await main(['run', '--compression', 'zstd', '--brokers', '127.0.0.1:1', '--count', '1'], x)).toBe(
      1,
    );
    expect(x.err.join('\n')).toMatch(
      /TRIB_PRODUCER_UNSUPPORTED_COMPRESSION: compression "zstd" needs a kafkajs codec: install @kafkajs\/zstd/,
    );
  });

  describe('Kafka TLS and SASL', () => {
    const secrets = {
      TRIBUTARY_KAFKA_SASL_PASSWORD: 'sasl-pw-3f9d1c',
      TRIBUTARY_KAFKA_KEY_PASSWORD: 'key-pw-8b2e47',
    };
    const leaked = /sasl-pw-3f9d1c|key-pw-8b2e47/;
    const unreachable = ['--brokers', '127.0.0.1:1', '--retries', '0', '--connection-timeout', '200ms'];

    it('lists the same --kafka-* flags in run and serve --help, never a password', async () => {
      for (const command of ['run', 'serve']) {
        const x = io(secrets);
        expect(await main([command, '--help'], x)).toBe(0);
        const help = x.out.join('\n');
        expect(help).toMatch(/--kafka-sasl-mechanism plain\|scram-sha-256\|scram-sha-512\|oauthbearer/);
        expect(help).toMatch(/--kafka-ca-file <file>.*\[TRIBUTARY_KAFKA_CA_FILE\]/);
        expect(help).not.toMatch(leaked);
      }
    });

    it('exits 2 at start-up naming the option for an incomplete setting, never showing a password', async () => {
      const cases: [string[], RegExp][] = [
        [
          ['run', ...unreachable, '--kafka-sasl-mechanism', 'scram-sha-512'],
          /--kafka-sasl-username is needed/,
        ],
        [['run', ...unreachable, '--kafka-cert-file', '/nonexistent/c.pem'], /--kafka-key-file is needed/],
        [
          ['serve', ...unreachable, '--port', '0', '--kafka-ca-file', '/nonexistent/ca.pem'],
          /--kafka-ca-file cannot read/,
        ],
        [['run', '--kafka-sasl-mechanism', 'kerberos'], /--kafka-sasl-mechanism must be one of plain/],
        [['run', '--kafka-sasl-password', 'sasl-pw-3f9d1c'], /--kafka-sasl-password is not an option/],
      ];
      for (const [argv, message] of cases) {
        const x = io(secrets);
        expect(await main(argv, x)).toBe(2);
        const text = [...x.err, ...x.out].join('\n');
        expect(text).toMatch(message);
        expect(text).toMatch(/: TRIB_(KAFKA|PRODUCER)_INVALID_OPTION: --kafka-/);
        expect(text).not.toMatch(/INVALID_OPTION: TRIB_/);
        expect(text.replace('--kafka-sasl-password sasl-pw-3f9d1c', '')).not.toMatch(leaked);
      }
    });

    it('shows a bad password from a config file as ***', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'produce-cli-')), 'c.json');
      writeFileSync(file, JSON.stringify({ kafkaSaslPassword: ['sasl-pw-3f9d1c'] }));
      const x = io();
      expect(await main(['run', '--config', file], x)).toBe(2);
      expect(x.err.join('\n')).toMatch(/kafkaSaslPassword .*\(got \*\*\* from config file/);
      expect(x.err.join('\n')).not.toMatch(leaked);
    });

    it('keeps the passwords out of the errors and logs of a run and of the gateway that cannot connect', async () => {
      const sasl = ['--kafka-tls', '--kafka-sasl-mechanism', 'plain', '--kafka-sasl-username', 'alice'];
      const run = io(secrets);
      expect(await main(['run', ...unreachable, ...sasl, '--count', '1'], run)).toBe(1);
      expect(run.err.join('\n')).toMatch(/cannot reach Kafka/);
      expect([...run.err, ...run.out].join('\n')).not.toMatch(leaked);

      const serve = io(secrets);
      let stop: () => void = () => undefined;
      serve.onSignal = (handler) => (stop = handler);
      const serving = main(['serve', ...unreachable, ...sasl, '--port', '0', '--log-level', 'debug'], serve);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      stop();
      expect(await serving).toBe(0);
      const logs = serve.err.join('\n');
      expect(logs).toMatch(/"msg":"listening"/);
      expect(logs).toMatch(/cannot connect to Kafka/);
      expect(logs).not.toMatch(leaked);
    });
  });
});
