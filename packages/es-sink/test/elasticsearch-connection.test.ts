import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ELASTICSEARCH_CONNECTION_OPTIONS,
  describeNodes,
  elasticsearchClientOptions,
  elasticsearchConnectionEnv,
  type ElasticsearchConnectionInput,
} from '../src/elasticsearch-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'es-connection-'));
afterAll(() => rmSync(dir, { recursive: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const FINGERPRINT = 'ab'.repeat(32);

const connect = (input: ElasticsearchConnectionInput) =>
  elasticsearchClientOptions(ELASTICSEARCH_CONNECTION_OPTIONS.resolve(input));

function failure(input: ElasticsearchConnectionInput): string {
  try {
    connect(input);
  } catch (error) {
    expect((error as { code?: string }).code).toBe('TRIB_SINK_INVALID_OPTION');
    return (error as Error).message;
  }
  throw new Error('expected TRIB_SINK_INVALID_OPTION');
}

describe('elasticsearchClientOptions', () => {
  it('defaults to the local node without credentials', () => {
    expect(connect({})).toEqual({ node: ['http://127.0.0.1:9200'] });
  });

  it('takes several nodes, comma-separated or as a list', () => {
    expect(connect({ esUrl: 'http://es-1:9200, http://es-2:9200,' }).node).toEqual([
      'http://es-1:9200',
      'http://es-2:9200',
    ]);
    expect(connect({ esUrl: ['https://es-1:9200'] }).node).toEqual(['https://es-1:9200']);
  });

  it('moves credentials out of the URLs into basic auth', () => {
    expect(
      connect({ esUrl: 'https://elastic:p%40ss@es-1:9200/prefix,https://elastic:p%40ss@es-2:9200' }),
    ).toEqual({
      node: ['https://es-1:9200/prefix', 'https://es-2:9200'],
      auth: { username: 'elastic', password: 'p@ss' },
    });
  });

  it('reads the API key, the password and the CA from files', () => {
    expect(connect({ esApiKeyFile: file('key', 'a2V5\n'), esCaFile: file('ca.pem', PEM) })).toEqual({
      node: ['http://127.0.0.1:9200'],
      auth: { apiKey: 'a2V5' },
      tls: { ca: PEM },
    });
    expect(connect({ esUsername: 'elastic', esPasswordFile: file('pw', 'pw-1\n') }).auth).toEqual({
      username: 'elastic',
      password: 'pw-1',
    });
    expect(connect({ esUsername: 'elastic', esPassword: 'pw-2' }).auth).toEqual({
      username: 'elastic',
      password: 'pw-2',
    });
  });

  it('pins a CA fingerprint, with or without the CA itself', () => {
    expect(connect({ esUrl: 'https://es:9200', esCaFingerprint: FINGERPRINT })).toEqual({
      node: ['https://es:9200'],
      tls: { rejectUnauthorized: false },
      caFingerprint: FINGERPRINT,
    });
    expect(
      connect({ esUrl: 'https://es:9200', esCaFingerprint: FINGERPRINT, esCaFile: file('ca2.pem', PEM) }),
    ).toMatchObject({ tls: { ca: PEM }, caFingerprint: FINGERPRINT });
  });

  it('names the option of every bad combination', () => {
    const cases: [ElasticsearchConnectionInput, RegExp][] = [
      [
        { esUrl: 'es:9200' },
        /^esUrl must list http\(s\) URLs like http:\/\/127\.0\.0\.1:9200 \(got "es:9200"\)/,
      ],
      [{ esUrl: 'http://a:1@h1,http://b:2@h2' }, /^esUrl carries different credentials in two URLs/],
      [{ esUsername: 'u' }, /^esUsername needs a password too: TRIBUTARY_ES_PASSWORD or --es-password-file/],
      [{ esPassword: 'p' }, /^esPassword needs --es-username \(TRIBUTARY_ES_USERNAME\) too/],
      [
        { esApiKey: 'k', esApiKeyFile: file('k2', 'k') },
        /^esApiKeyFile cannot be used with TRIBUTARY_ES_API_KEY/,
      ],
      [
        { esPassword: 'p', esPasswordFile: file('p2', 'p'), esUsername: 'u' },
        /^esPasswordFile cannot be used/,
      ],
      [{ esApiKey: 'k', esUsername: 'u', esPassword: 'p' }, /^esApiKey cannot be used with --es-username/],
      [
        { esUrl: 'http://u:p@h', esApiKey: 'k' },
        /^esUrl carries credentials \(user:password@\) and TRIBUTARY_ES_API_KEY/,
      ],
      [
        { esCaFingerprint: FINGERPRINT },
        /^esCaFingerprint needs https nodes \(got "http:\/\/127\.0\.0\.1:9200"/,
      ],
      [{ esCaFingerprint: 'AB:CD' }, /^esCaFingerprint must be a SHA-256 fingerprint/],
      [{ esCaFile: join(dir, 'missing.pem') }, /^esCaFile cannot be read: .*ENOENT/],
      [{ esCaFile: file('not.pem', 'hello') }, /^esCaFile holds no PEM certificate/],
      [{ esApiKeyFile: file('empty', ' \n') }, /^esApiKeyFile names an empty file/],
    ];
    for (const [input, message] of cases) expect(failure(input)).toMatch(message);
  });

  it('never shows a secret: messages, redacted values, node descriptions', () => {
    const values = ELASTICSEARCH_CONNECTION_OPTIONS.resolve({
      esUrl: 'https://elastic:pw-in-url-1@es-1:9200,https://elastic:pw-in-url-1@es-2:9200',
      esCaFile: file('ca3.pem', PEM),
    });
    const printed = JSON.stringify(
      ELASTICSEARCH_CONNECTION_OPTIONS.redacted({ ...values, esApiKey: 'key-2' }),
    );
    expect(printed).not.toMatch(/pw-in-url-1|key-2/);
    expect(describeNodes(values)).toBe('https://***:***@es-1:9200,https://***:***@es-2:9200');
    const messages = [
      failure({ esUrl: 'ftp://elastic:pw-3@h' }),
      failure({ esUrl: 'http://elastic:pw-4@h', esUsername: 'u', esPassword: 'pw-5' }),
      failure({ esApiKey: 'key-6', esUsername: 'u', esPassword: 'pw-7' }),
      failure({ esApiKey: 42 as never }),
      failure({ esPassword: '' }),
    ];
    expect(messages.join('\n')).not.toMatch(/pw-\d|key-6|42/);
    expect(messages[3]).toBe('esApiKey must be a string (got ***)');
  });

  it('hands the connection to a child process as environment variables', () => {
    const values = ELASTICSEARCH_CONNECTION_OPTIONS.resolve({
      esUrl: 'https://a:9200,https://b:9200',
      esApiKey: 'k',
      esCaFingerprint: FINGERPRINT,
    });
    const inherited = { PATH: '/bin', TRIBUTARY_ES_USERNAME: 'someone', TRIBUTARY_ES_PASSWORD: 'old' };
    expect(elasticsearchConnectionEnv(values, inherited)).toEqual({
      PATH: '/bin',
      TRIBUTARY_ES_URL: 'https://a:9200,https://b:9200',
      TRIBUTARY_ES_API_KEY: 'k',
      TRIBUTARY_ES_CA_FINGERPRINT: FINGERPRINT,
    });
  });
});
