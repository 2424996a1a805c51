import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig, runCli, type CliIo } from '../../src/cli/run.js';
import { parseCliArgs } from '../../src/cli/args.js';

function capture(env: NodeJS.ProcessEnv = {}): CliIo & { logs: string[]; out: string[]; err: string[] } {
  const logs: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  return {
    logs,
    out,
    err,
    env,
    logDestination: { write: (line: string) => void logs.push(line) },
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    onSignal: () => undefined,
  };
}

// Nothing listens on port 1: the Elasticsearch check fails at once, before Kafka is touched.
const unreachable = ['--topic', 't', '--es-url', 'http://127.0.0.1:1', '--log-level', 'debug'];

describe('runCli', () => {
  it('prints help with the observability flags', async () => {
    const io = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    const help = io.out.join('');
    for (const flag of [
      '--metrics-port <n>',
      '--metrics-host <host>',
      '--log-level fatal|error|warn|info|debug',
    ])
      expect(help).toContain(flag);
  });

  it('exits 2 naming the flag for a bad --log-level or --metrics-port', async () => {
    for (const [argv, message] of [
      [['--topic', 't', '--log-level', 'loud'], /--log-level must be one of fatal, error, warn, info/],
      [['--topic', 't', '--metrics-port', '70000'], /--metrics-port must be <= 65535 \(got "70000"\)/],
      [['--topic', 't', '--metrics-port=-1'], /--metrics-port must be >= 0 \(got "-1"\)/],
    ] as const) {
      const io = capture();
      expect(await runCli(argv, io)).toBe(2);
      expect(io.err.join('')).toMatch(message);
    }
  });

  it('writes JSON log lines at the chosen level and never an Elasticsearch password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'es-sink-run-'));
    writeFileSync(join(dir, 'password'), 'pw-from-file-41c7\n');
    const runs = [
      { env: { TRIBUTARY_ES_PASSWORD: 'pw-from-env-5f3a' }, argv: ['--es-username', 'elastic'] },
      {
        env: {},
        argv: [
          '--es-url',
          'http://elastic:pw-in-url-9c1d@127.0.0.1:1,http://elastic:pw-in-url-9c1d@127.0.0.1:2',
        ],
      },
      { env: { TRIBUTARY_ES_USERNAME: 'elastic' }, argv: ['--es-password-file', join(dir, 'password')] },
    ];
    for (const { env, argv } of runs) {
      const io = capture(env);
      expect(await runCli([...unreachable, ...argv], io)).toBe(2);
      const text = [...io.logs, ...io.err, ...io.out].join('');
      expect(text).not.toMatch(/pw-from-env-5f3a|pw-in-url-9c1d|pw-from-file-41c7/);
      const lines = io.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l['msg'])).toEqual(expect.arrayContaining(['starting', 'options']));
      const options = lines.find((l) => l['msg'] === 'options')?.['options'] as {
        sink: Record<string, unknown>;
      };
      expect(options.sink['auth']).toBeDefined();
      expect(String(options.sink['node'])).toMatch(/^http:\/\/127\.0\.0\.1:1/);
      expect(lines.every((l) => l['name'] === 'tributary-es-sink' && typeof l['level'] === 'string')).toBe(
        true,
      );
      expect(io.err.join('')).toMatch(/cannot reach Elasticsearch at http:\/\/127\.0\.0\.1:1/);
    }
    rmSync(dir, { recursive: true });
  });

  it('never logs an API key, and logs nothing below --log-level', async () => {
    const io = capture({ TRIBUTARY_ES_API_KEY: 'api-key-77e2b0' });
    expect(await runCli([...unreachable.slice(0, -2), '--log-level', 'warn'], io)).toBe(2);
    expect([...io.logs, ...io.err].join('')).not.toContain('api-key-77e2b0');
    const levels = io.logs.map((l) => (JSON.parse(l) as { level: string }).level);
    expect(levels.length).toBeGreaterThan(0);
    expect(levels.every((l) => l === 'warn' || l === 'error')).toBe(true);
  });

  it('describes a configuration without SASL or TLS secrets', () => {
    const config = parseCliArgs(['--topic', 't'], { TRIBUTARY_ES_API_KEY: 'k-1' });
    if (config.help) throw new Error('expected a run');
    const { connector } = config;
    const described = describeConfig({
      ...connector,
      sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 'sasl-pw-1' },
      ssl: { key: 'PRIVATE KEY', rejectUnauthorized: true },
    });
    const text = JSON.stringify(described);
    for (const secret of ['sasl-pw-1', 'PRIVATE KEY', 'k-1', '"svc"']) expect(text).not.toContain(secret);
    expect(described).toMatchObject({ sasl: { mechanism: 'scram-sha-512' }, ssl: '[redacted]' });
  });

  describe('Kafka TLS and SASL', () => {
    const secrets = {
      TRIBUTARY_KAFKA_SASL_PASSWORD: 'sasl-pw-6c1e0a',
      TRIBUTARY_KAFKA_KEY_PASSWORD: 'key-pw-2d7f93',
    };
    const leaked = /sasl-pw-6c1e0a|key-pw-2d7f93/;

    it('lists the --kafka-* flags in --help, never a password', async () => {
      const io = capture(secrets);
      expect(await runCli(['--help'], io)).toBe(0);
      const help = io.out.join('');
      expect(help).toMatch(/--kafka-sasl-mechanism plain\|scram-sha-256\|scram-sha-512\|oauthbearer/);
      expect(help).toMatch(/--kafka-sasl-password-file <file>.*\[TRIBUTARY_KAFKA_SASL_PASSWORD_FILE\]/);
      expect(help).not.toMatch(leaked);
    });

    it('exits 2 naming the option for an incomplete setting, never showing a password', async () => {
      for (const [argv, message] of [
        [['--kafka-sasl-mechanism', 'scram-sha-256'], /--kafka-sasl-username is needed/],
        [['--kafka-key-file', '/nonexistent/k.pem'], /--kafka-cert-file is needed with --kafka-key-file/],
        [['--kafka-ca-file', '/nonexistent/ca.pem'], /--kafka-ca-file cannot read \/nonexistent\/ca.pem/],
        [['--kafka-sasl-password', 'sasl-pw-6c1e0a'], /--kafka-sasl-password is not an option/],
      ] as const) {
        const io = capture(secrets);
        expect(await runCli([...unreachable, ...argv], io)).toBe(2);
        const text = [...io.logs, ...io.err].join('');
        expect(text).toMatch(message);
        expect(text.replace('--kafka-sasl-password sasl-pw-6c1e0a', '')).not.toMatch(leaked);
      }
    });

    it('keeps the passwords out of the startup lines, the options logged at debug and the error', async () => {
      const io = capture(secrets);
      const sasl = ['--kafka-tls', '--kafka-sasl-mechanism', 'plain', '--kafka-sasl-username', 'alice'];
      expect(await runCli([...unreachable, ...sasl], io)).toBe(2);
      const lines = io.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
      const options = lines.find((l) => l['msg'] === 'options')?.['options'];
      expect(options).toMatchObject({ ssl: '[redacted]', sasl: '[redacted]' });
      expect(io.err.join('')).toMatch(/cannot reach Elasticsearch/);
      expect([...io.logs, ...io.err, ...io.out].join('')).not.toMatch(leaked);
    });
  });
});
