import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createClickstreamApp } from '../src/app/clickstream.js';
import { resolveProcessorConfig } from '../src/config/processor-config.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const SECRETS = {
  TRIBUTARY_KAFKA_SASL_PASSWORD: 'sasl-pw-91c4e2',
  TRIBUTARY_KAFKA_KEY_PASSWORD: 'key-pw-0a7d55',
};
const LEAKED = /sasl-pw-91c4e2|key-pw-0a7d55/;

/** The built CLI on paths that need no broker (help, --print-config, options refused at start). */
function runCli(
  args: string[],
  secrets: Record<string, string> = SECRETS,
): Promise<{ code: number; output: string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx nx build @tributary/processor\` first`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env['PATH'] ?? '', ...secrets }, timeout: 15_000 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code), output: stdout + stderr }),
    );
  });
}

describe('tributary-processor: Kafka TLS and SASL, passwords never shown', () => {
  const sasl = ['--kafka-tls', '--kafka-sasl-mechanism', 'scram-sha-512', '--kafka-sasl-username', 'alice'];

  it('--print-config shows the passwords as *** (and the replication factor of created topics)', async () => {
    const { code, output } = await runCli([
      'clickstream',
      '--print-config',
      '--replication-factor',
      '3',
      ...sasl,
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(output)).toMatchObject({
      kafkaTls: true,
      kafkaSaslMechanism: 'scram-sha-512',
      kafkaSaslUsername: 'alice',
      kafkaSaslPassword: '***',
      kafkaKeyPassword: '***',
      replicationFactor: 3,
    });
    expect(output).not.toMatch(LEAKED);
  });

  it('--help lists the --kafka-* flags and no password', async () => {
    const { code, output } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(output).toMatch(/--kafka-sasl-password-file <file>.*\[TRIBUTARY_KAFKA_SASL_PASSWORD_FILE\]/);
    expect(output).not.toMatch(LEAKED);
  });

  it('exits 2 at start naming the option for an incomplete setting or a bad value, never with a password', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'processor-cli-')), 'c.json');
    writeFileSync(file, JSON.stringify({ kafkaKeyPassword: ['key-pw-0a7d55'] }));
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [['clickstream', '--kafka-sasl-mechanism', 'plain'], /--kafka-sasl-username is needed/],
      [['clickstream', '--kafka-cert-file', '/nonexistent/c.pem'], /--kafka-key-file is needed/],
      [['clickstream', '--kafka-ca-file', '/nonexistent/ca.pem'], /--kafka-ca-file cannot read/],
      // The environment's passphrase would win over the file's.
      [['clickstream', '--config', file], /kafkaKeyPassword .*\(got \*\*\* from config file/, {}],
    ];
    for (const [args, message, secrets] of cases) {
      const { code, output } = await runCli(args, secrets);
      expect(code).toBe(2);
      expect(output).toMatch(message);
      expect(output).not.toMatch(LEAKED);
    }
  });

  it('createClickstreamApp refuses a config asking for TLS or SASL without kafkaSecurity', () => {
    expect(() => createClickstreamApp(resolveProcessorConfig({ kafkaTls: true }))).toThrow(
      /kafkaTls needs deps.kafkaSecurity/,
    );
  });
});
