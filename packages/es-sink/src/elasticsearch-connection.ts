import { readFileSync } from 'node:fs';
import { defineOptions, option, z, type OptionInput, type OptionValues } from '@tributary/options';
import { invalidOption } from './errors.js';

/** Removes credentials from URLs in a text (`http://user:pass@host` → `http://***:***@host`), every one of them. */
export function redactUrl(text: string): string {
  return text.replace(/\/\/[^/\s?#]*@/g, '//***:***@');
}

/** {@link redactUrl} on a URL or a list of them (an option's `redact`). */
export const redactUrls = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(redactUrls) : typeof value === 'string' ? redactUrl(value) : value;

/** A comma-separated list of node URLs, or a list of them. */
const nodeList = z
  .preprocess(
    (value: string | readonly string[]) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((url) => url.trim())
            .filter((url) => url !== '')
        : value,
    z.array(z.string().min(1)).min(1),
  )
  .default(['http://127.0.0.1:9200']);

const file = (help: string, env: string) =>
  option(z.string().min(1).optional(), help, { env, placeholder: '<file>' });

/**
 * How every Tributary component reaches Elasticsearch, declared once: the processor, the es-sink CLI, the dashboard
 * and the bench spread these specs into their own, so the flags and variables are the same everywhere. The API key
 * and the password have no flag (a command line is visible to every user of the machine): they come from their
 * variable, the config file or a file named by `--es-api-key-file` / `--es-password-file`.
 */
export const ELASTICSEARCH_CONNECTION_OPTION_SPECS = {
  /**
   * Elasticsearch nodes: one URL or several, comma-separated. The client spreads requests over them and moves to
   * another node when one fails. Credentials in a URL (`https://user:password@host`) are basic auth, never printed.
   */
  esUrl: option(nodeList, 'Elasticsearch node URLs, comma-separated', {
    env: 'TRIBUTARY_ES_URL',
    placeholder: '<urls>',
    redact: redactUrls,
  }),
  /** API key (the `encoded` value Elasticsearch returns: base64 of `id:api_key`). */
  esApiKey: option(z.string().min(1).optional(), 'Elasticsearch API key', {
    flag: false,
    env: 'TRIBUTARY_ES_API_KEY',
    secret: true,
  }),
  /** File holding the API key. */
  esApiKeyFile: file(
    'file holding the API key (or the key itself in TRIBUTARY_ES_API_KEY)',
    'TRIBUTARY_ES_API_KEY_FILE',
  ),
  /** Basic auth user; its password from `esPassword` or `esPasswordFile`. */
  esUsername: option(z.string().min(1).optional(), 'basic auth user', {
    env: 'TRIBUTARY_ES_USERNAME',
    placeholder: '<user>',
  }),
  /** Basic auth password. */
  esPassword: option(z.string().min(1).optional(), 'basic auth password', {
    flag: false,
    env: 'TRIBUTARY_ES_PASSWORD',
    secret: true,
  }),
  /** File holding the basic auth password. */
  esPasswordFile: file(
    'file holding the password (or the password in TRIBUTARY_ES_PASSWORD)',
    'TRIBUTARY_ES_PASSWORD_FILE',
  ),
  /** PEM file of the CA certificate(s) the https nodes' certificates are checked against. */
  esCaFile: file('PEM CA certificate(s) trusted for https nodes', 'TRIBUTARY_ES_CA_FILE'),
  /**
   * SHA-256 fingerprint of the CA certificate that signed the nodes' certificate (hex, colons optional), as
   * `@elastic/elasticsearch`'s `caFingerprint` takes it. Without `esCaFile` the fingerprint is the only trust anchor:
   * the chain is not otherwise verified (the Elasticsearch client's model for self-signed clusters).
   */
  esCaFingerprint: option(
    z
      .string()
      .regex(
        /^([0-9a-f]{2}:?){31}[0-9a-f]{2}$/i,
        'must be a SHA-256 fingerprint (64 hex digits, colons optional)',
      )
      .optional(),
    "SHA-256 fingerprint of the CA of the nodes' certificate",
    { env: 'TRIBUTARY_ES_CA_FINGERPRINT', placeholder: '<sha256>' },
  ),
};

type Specs = typeof ELASTICSEARCH_CONNECTION_OPTION_SPECS;
type Key = keyof Specs & string;

/** The connection options, validated; what {@link elasticsearchClientOptions} takes (only `esUrl` required). */
export type ElasticsearchConnectionValues = Pick<OptionValues<Specs>, 'esUrl'> & Partial<OptionValues<Specs>>;
/** The connection options as code gives them (every one optional). */
export type ElasticsearchConnectionInput = OptionInput<Specs>;

/** The part of `@elastic/elasticsearch`'s `ClientOptions` (and of a BulkSink's options) that reaches the nodes. */
export interface ElasticsearchConnection {
  node: string[];
  auth?: { username: string; password: string } | { apiKey: string };
  tls?: { ca: string } | { rejectUnauthorized: false };
  caFingerprint?: string;
}

/** The variable of an option: the same in every component. */
const envOf = (key: Key): string => ELASTICSEARCH_CONNECTION_OPTION_SPECS[key].env as string;

/** How a user spells an option: `--es-api-key-file (TRIBUTARY_ES_API_KEY_FILE)`, or the variable alone. */
function spelled(key: Key): string {
  return ELASTICSEARCH_CONNECTION_OPTION_SPECS[key].flag === false
    ? envOf(key)
    : `--${key.replace(/([A-Z])/g, '-$1').toLowerCase()} (${envOf(key)})`;
}

type Fail = (key: Key, message: string) => never;

const throwInvalid: Fail = (key, message) => {
  throw invalidOption(key, message);
};

function readText(path: string, key: Key, fail: Fail, readFile: (path: string) => string): string {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    return fail(key, `cannot be read: ${(error as Error).message}`);
  }
  return text.trim() === '' ? fail(key, `names an empty file (${path})`) : text;
}

/** The single value given by `key` or by the file `fileKey` names; both is an error. */
function oneOf(
  v: Readonly<ElasticsearchConnectionValues>,
  key: 'esApiKey' | 'esPassword',
  fileKey: 'esApiKeyFile' | 'esPasswordFile',
  fail: Fail,
  readFile: (path: string) => string,
): string | undefined {
  const path = v[fileKey];
  if (path === undefined) return v[key];
  if (v[key] !== undefined) fail(fileKey, `cannot be used with ${spelled(key)}: give it once`);
  return readText(path, fileKey, fail, readFile).trim();
}

/** The nodes without userinfo, and the credentials the URLs carried (the same in each, or an error). */
function nodesOf(urls: readonly string[], fail: Fail): { node: string[]; userinfo?: [string, string] } {
  const node: string[] = [];
  let userinfo: [string, string] | undefined;
  for (const text of urls) {
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      fail(
        'esUrl',
        `must list http(s) URLs like http://127.0.0.1:9200 (got ${JSON.stringify(redactUrl(text))})`,
      );
    if (url.username === '' && url.password === '') {
      node.push(text);
      continue;
    }
    const credentials: [string, string] = [
      decodeURIComponent(url.username),
      decodeURIComponent(url.password),
    ];
    if (userinfo !== undefined && (userinfo[0] !== credentials[0] || userinfo[1] !== credentials[1]))
      fail(
        'esUrl',
        'carries different credentials in two URLs: give them once (--es-username and a password)',
      );
    userinfo = credentials;
    node.push(`${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`);
  }
  return userinfo === undefined ? { node } : { node, userinfo };
}

/**
 * Turns the connection options into `@elastic/elasticsearch` client options: the nodes (credentials in a URL moved
 * to `auth`), API key or basic auth (read from their files), the CA certificate and the CA fingerprint. Checks the
 * combinations — one API key, one password, a user with a password, API key or basic auth but not both, a
 * fingerprint only with https — and throws `TRIB_SINK_INVALID_OPTION` naming the option; a component's option check
 * passes its own `fail`, so the message names the option as the user spelled it.
 */
export function elasticsearchClientOptions(
  values: Readonly<ElasticsearchConnectionValues>,
  fail: Fail = throwInvalid,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): ElasticsearchConnection {
  const { node, userinfo } = nodesOf(values.esUrl, fail);
  const apiKey = oneOf(values, 'esApiKey', 'esApiKeyFile', fail, readFile);
  const password = oneOf(values, 'esPassword', 'esPasswordFile', fail, readFile);
  const username = values.esUsername;
  if (username !== undefined && password === undefined)
    fail('esUsername', `needs a password too: ${spelled('esPassword')} or ${spelled('esPasswordFile')}`);
  if (password !== undefined && username === undefined)
    fail(
      values.esPasswordFile === undefined ? 'esPassword' : 'esPasswordFile',
      `needs ${spelled('esUsername')} too`,
    );
  const keyOption = values.esApiKeyFile === undefined ? 'esApiKey' : 'esApiKeyFile';
  if (apiKey !== undefined && username !== undefined)
    fail(keyOption, `cannot be used with ${spelled('esUsername')}: an API key or basic auth, not both`);
  if (userinfo !== undefined && (apiKey !== undefined || username !== undefined))
    fail(
      'esUrl',
      `carries credentials (user:password@) and ${apiKey === undefined ? spelled('esUsername') : spelled(keyOption)} gives them too: keep one`,
    );
  const fingerprint = values.esCaFingerprint;
  const plain = node.find((url) => url.startsWith('http:'));
  if (fingerprint !== undefined && plain !== undefined)
    fail('esCaFingerprint', `needs https nodes (got ${JSON.stringify(plain)} in ${spelled('esUrl')})`);
  let ca: string | undefined;
  if (values.esCaFile !== undefined) {
    ca = readText(values.esCaFile, 'esCaFile', fail, readFile);
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      fail('esCaFile', `holds no PEM certificate (-----BEGIN CERTIFICATE-----): ${values.esCaFile}`);
  }
  const auth =
    apiKey !== undefined
      ? { apiKey }
      : username !== undefined && password !== undefined
        ? { username, password }
        : userinfo === undefined
          ? undefined
          : { username: userinfo[0], password: userinfo[1] };
  return {
    node,
    ...(auth === undefined ? {} : { auth }),
    // A pinned CA fingerprint without the CA itself: the fingerprint is the trust anchor (see esCaFingerprint).
    ...(ca !== undefined
      ? { tls: { ca } }
      : fingerprint !== undefined
        ? { tls: { rejectUnauthorized: false } }
        : {}),
    ...(fingerprint === undefined ? {} : { caFingerprint: fingerprint }),
  };
}

/** The connection options alone (a library or test resolving them in code); checked as a component checks them. */
export const ELASTICSEARCH_CONNECTION_OPTIONS = defineOptions(ELASTICSEARCH_CONNECTION_OPTION_SPECS, {
  component: 'the Elasticsearch connection',
  invalid: invalidOption,
  check: (values, fail) => void elasticsearchClientOptions(values, fail),
});

/** The connection options of a component's values (its other options left out). */
export function elasticsearchConnectionValues(
  values: Readonly<ElasticsearchConnectionValues>,
): ElasticsearchConnectionValues {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(ELASTICSEARCH_CONNECTION_OPTION_SPECS) as Key[])
    if (values[key] !== undefined) out[key] = values[key];
  return out as ElasticsearchConnectionValues;
}

/**
 * `base` (a process environment) with the connection as its `TRIBUTARY_ES_*` variables (`TRIBUTARY_ES_URL`,
 * `TRIBUTARY_ES_API_KEY`, …) instead of any it had, for a component started as a child process: secrets travel in
 * its environment, never on its command line.
 */
export function elasticsearchConnectionEnv(
  values: Readonly<ElasticsearchConnectionValues>,
  base: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const key of Object.keys(ELASTICSEARCH_CONNECTION_OPTION_SPECS) as Key[]) delete env[envOf(key)];
  for (const [key, value] of Object.entries(elasticsearchConnectionValues(values))) {
    env[envOf(key as Key)] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return env;
}

/** The nodes for a start-up line or a message: `https://es-1:9200,https://***:***@es-2:9200`. */
export function describeNodes(values: Readonly<Pick<ElasticsearchConnectionValues, 'esUrl'>>): string {
  return redactUrl(values.esUrl.join(','));
}
