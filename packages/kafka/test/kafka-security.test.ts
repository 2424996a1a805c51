import { describe, expect, it } from 'vitest';
import { defineOptions } from '@tributary/options';
import {
  KAFKA_SECURITY_OPTION_SPECS,
  kafkaSecurity,
  kafkaSecurityEnv,
  type KafkaSecurityOptions,
} from '../src/index.js';

const files: Record<string, string> = {
  '/ca.pem': 'CA PEM',
  '/cert.pem': 'CERT PEM',
  '/key.pem': 'KEY PEM',
  '/password': 'pa55word\n',
};
const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
  return text;
};
const security = (
  options: KafkaSecurityOptions,
  importModule?: (url: string) => Promise<Record<string, unknown>>,
) => kafkaSecurity(options, { readFile, ...(importModule === undefined ? {} : { importModule }) });

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('kafkaSecurity', () => {
  it('is plaintext and unauthenticated by default', async () => {
    expect(await security({})).toEqual({ ssl: undefined, sasl: undefined });
  });

  it('turns TLS files into tls.connect options, and --kafka-tls alone into ssl: true', async () => {
    expect((await security({ kafkaTls: true })).ssl).toBe(true);
    expect(
      (
        await security({
          kafkaCaFile: '/ca.pem',
          kafkaCertFile: '/cert.pem',
          kafkaKeyFile: '/key.pem',
          kafkaKeyPassword: 'k',
          kafkaServername: 'broker.example',
        })
      ).ssl,
    ).toEqual({
      ca: ['CA PEM'],
      cert: 'CERT PEM',
      key: 'KEY PEM',
      passphrase: 'k',
      servername: 'broker.example',
    });
  });

  it('reads the SASL password from the environment value or a file', async () => {
    expect(
      (
        await security({
          kafkaSaslMechanism: 'scram-sha-512',
          kafkaSaslUsername: 'alice',
          kafkaSaslPassword: 'p',
        })
      ).sasl,
    ).toEqual({ mechanism: 'scram-sha-512', username: 'alice', password: 'p' });
    expect(
      (
        await security({
          kafkaSaslMechanism: 'plain',
          kafkaSaslUsername: 'alice',
          kafkaSaslPasswordFile: '/password',
        })
      ).sasl,
    ).toEqual({ mechanism: 'plain', username: 'alice', password: 'pa55word' });
  });

  it('loads an OAUTHBEARER token provider from a module, or takes one given in code', async () => {
    const provider = async () => ({ value: 'token' });
    const loaded = await security(
      { kafkaSaslMechanism: 'oauthbearer', kafkaSaslOauthbearerProvider: '/provider.mjs' },
      async (url) => {
        expect(url).toBe('file:///provider.mjs');
        return { default: provider };
      },
    );
    expect(loaded.sasl).toEqual({ mechanism: 'oauthbearer', oauthBearerProvider: provider });
    expect(
      (await security({ kafkaSaslMechanism: 'oauthbearer', oauthBearerProvider: provider })).sasl,
    ).toEqual({
      mechanism: 'oauthbearer',
      oauthBearerProvider: provider,
    });
  });

  it('fails naming the option for every incomplete or contradictory setting', async () => {
    const cases: [KafkaSecurityOptions, RegExp][] = [
      [{ kafkaCertFile: '/cert.pem' }, /--kafka-key-file is needed with --kafka-cert-file/],
      [{ kafkaKeyFile: '/key.pem' }, /--kafka-cert-file is needed with --kafka-key-file/],
      [{ kafkaCaFile: '/missing.pem' }, /--kafka-ca-file cannot read \/missing.pem: ENOENT/],
      [{ kafkaSaslUsername: 'alice' }, /--kafka-sasl-username needs --kafka-sasl-mechanism/],
      [{ kafkaSaslPassword: 'p' }, /--kafka-sasl-mechanism is needed with TRIBUTARY_KAFKA_SASL_PASSWORD/],
      [{ kafkaSaslMechanism: 'plain', kafkaSaslPassword: 'p' }, /--kafka-sasl-username is needed/],
      [
        { kafkaSaslMechanism: 'scram-sha-256', kafkaSaslUsername: 'a' },
        /--kafka-sasl-password-file .* is needed/,
      ],
      [
        {
          kafkaSaslMechanism: 'plain',
          kafkaSaslUsername: 'a',
          kafkaSaslPassword: 'p',
          kafkaSaslPasswordFile: '/password',
        },
        /--kafka-sasl-password-file contradicts/,
      ],
      [{ kafkaSaslMechanism: 'oauthbearer' }, /--kafka-sasl-oauthbearer-provider is needed/],
    ];
    for (const [options, message] of cases) {
      const error = await rejection(security(options));
      expect(error.code).toBe('TRIB_KAFKA_INVALID_OPTION');
      expect(error.message).toMatch(message);
    }
    const notAFunction = await rejection(
      security({ kafkaSaslMechanism: 'oauthbearer', kafkaSaslOauthbearerProvider: '/p.mjs' }, async () => ({
        default: 'x',
      })),
    );
    expect(notAFunction.message).toMatch(/default export is a function/);
  });

  it('keeps passwords off the command line, out of --help defaults and out of redacted output', () => {
    const set = defineOptions(KAFKA_SECURITY_OPTION_SPECS, {
      component: 'test',
      invalid: (name, message) => new Error(`${name} ${message}`),
    });
    const help = set.help({ usage: 'test' });
    expect(help).toContain('--kafka-sasl-mechanism plain|scram-sha-256|scram-sha-512|oauthbearer');
    expect(help).not.toContain('--kafka-sasl-password ');
    expect(() => set.parseCommandLine(['--kafka-sasl-password', 'x'], { env: {} })).toThrow(
      /is not an option/,
    );
    const { values } = set.parseCommandLine([], {
      env: { TRIBUTARY_KAFKA_SASL_PASSWORD: 'hunter2', TRIBUTARY_KAFKA_SASL_MECHANISM: 'plain' },
    });
    expect(values.kafkaSaslPassword).toBe('hunter2');
    expect(JSON.stringify(set.redacted(values))).not.toContain('hunter2');
  });

  it('names the variables TRIBUTARY_KAFKA_* whatever the prefix of the component, and hands them to a child', () => {
    const set = defineOptions(KAFKA_SECURITY_OPTION_SPECS, {
      component: 'test',
      envPrefix: 'TRIBUTARY_BENCH_',
      invalid: (name, message) => new Error(`${name} ${message}`),
    });
    expect(set.keys.map((key) => set.envName(key))).toEqual([
      'TRIBUTARY_KAFKA_TLS',
      'TRIBUTARY_KAFKA_CA_FILE',
      'TRIBUTARY_KAFKA_CERT_FILE',
      'TRIBUTARY_KAFKA_KEY_FILE',
      'TRIBUTARY_KAFKA_KEY_PASSWORD',
      'TRIBUTARY_KAFKA_SERVERNAME',
      'TRIBUTARY_KAFKA_SASL_MECHANISM',
      'TRIBUTARY_KAFKA_SASL_USERNAME',
      'TRIBUTARY_KAFKA_SASL_PASSWORD',
      'TRIBUTARY_KAFKA_SASL_PASSWORD_FILE',
      'TRIBUTARY_KAFKA_SASL_OAUTHBEARER_PROVIDER',
    ]);
    const env = kafkaSecurityEnv({
      kafkaTls: true,
      kafkaSaslMechanism: 'scram-sha-512',
      kafkaSaslUsername: 'alice',
      kafkaSaslPassword: 'p',
      kafkaCaFile: undefined,
    });
    expect(env).toEqual({
      TRIBUTARY_KAFKA_TLS: 'true',
      TRIBUTARY_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      TRIBUTARY_KAFKA_SASL_USERNAME: 'alice',
      TRIBUTARY_KAFKA_SASL_PASSWORD: 'p',
    });
    expect(set.parseCommandLine([], { env }).values).toMatchObject({
      kafkaTls: true,
      kafkaSaslPassword: 'p',
    });
  });
});

describe('kafkaSecurityFailure', () => {
  it('names the options behind refused credentials and an unverifiable certificate, and nothing else', async () => {
    const { kafkaSecurityFailure } = await import('../src/index.js');
    const sasl = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: Authentication failed'), {
      name: 'KafkaJSSASLAuthenticationError',
    });
    const wrapped = Object.assign(new Error('Connection error'), { cause: sasl });
    expect(kafkaSecurityFailure(wrapped)).toMatchObject({
      code: 'TRIB_KAFKA_INVALID_OPTION',
      message: expect.stringMatching(
        /--kafka-sasl-username and the password \(TRIBUTARY_KAFKA_SASL_PASSWORD/,
      ),
    });
    const tls = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(kafkaSecurityFailure(tls)?.message).toMatch(/--kafka-ca-file/);
    expect(kafkaSecurityFailure(new Error('connect ECONNREFUSED 127.0.0.1:9092'))).toBeUndefined();
  });
});
