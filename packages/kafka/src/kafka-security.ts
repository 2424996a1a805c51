/**
 * Kafka TLS and SASL, declared once as options every component shares (`--kafka-tls`, `--kafka-ca-file`,
 * `--kafka-sasl-mechanism`, … with `TRIBUTARY_KAFKA_*` variables), and turned into kafkajs' `ssl` and `sasl` at
 * start-up: files are read then, and a missing or contradictory setting fails naming the option. Passwords come
 * from the environment or a file (never a flag, which `ps` shows) and are never printed.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve as resolvePath } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { option, z, type OptionSpec, type OptionValues } from '@tributary/options';
import type { KafkaConfig, OauthbearerProviderResponse, SASLOptions } from 'kafkajs';
import { KafkaError, KafkaErrorCodes } from './errors.js';

/** SASL mechanisms kafkajs speaks. */
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** Returns a fresh OAUTHBEARER token (`{ value }`); called by kafkajs on connect and before the token expires. */
export type OauthBearerProvider = () => Promise<OauthbearerProviderResponse>;

const path = z.string().min(1);
const CODE_ONLY_SECRET = { flag: false, env: false, secret: true } as const;

/** `kafkaCaFile` → `TRIBUTARY_KAFKA_CA_FILE`, whatever the component's own prefix: the same names everywhere. */
function sameEnvEverywhere<Specs extends Record<string, OptionSpec>>(specs: Specs): Specs {
  const env = (key: string): string => `TRIBUTARY_${key.replace(/([A-Z])/g, '_$1').toUpperCase()}`;
  return Object.fromEntries(
    Object.entries(specs).map(([key, spec]) => [key, { ...spec, env: env(key) }]),
  ) as Specs;
}

/**
 * The connection-security options of every component that talks to Kafka; spread them into its option specs. Their
 * variables are `TRIBUTARY_KAFKA_*` in every component, whatever its prefix.
 */
export const KAFKA_SECURITY_OPTION_SPECS = sameEnvEverywhere({
  kafkaTls: option(
    z.boolean().default(false),
    'connect to the brokers over TLS (implied by any --kafka-ca-file/cert)',
  ),
  kafkaCaFile: option(
    path.optional(),
    'PEM file of the CA certificates that signed the brokers’ (default: Node’s CAs)',
    {
      placeholder: '<file>',
    },
  ),
  kafkaCertFile: option(path.optional(), 'PEM client certificate for mutual TLS (with --kafka-key-file)', {
    placeholder: '<file>',
  }),
  kafkaKeyFile: option(
    path.optional(),
    'PEM private key of the client certificate (passphrase: TRIBUTARY_KAFKA_KEY_PASSWORD)',
    {
      placeholder: '<file>',
    },
  ),
  kafkaKeyPassword: option(z.string().min(1).optional(), 'passphrase of an encrypted --kafka-key-file', {
    flag: false,
    secret: true,
  }),
  kafkaServername: option(
    z.string().min(1).optional(),
    'TLS server name to verify (SNI) when it differs from the host',
  ),
  kafkaSaslMechanism: option(z.enum(KAFKA_SASL_MECHANISMS).optional(), 'SASL authentication mechanism'),
  kafkaSaslUsername: option(z.string().min(1).optional(), 'SASL user (plain, scram-sha-*)'),
  kafkaSaslPassword: option(z.string().min(1).optional(), 'SASL password (environment or config file only)', {
    flag: false,
    secret: true,
  }),
  kafkaSaslPasswordFile: option(
    path.optional(),
    'file holding the SASL password (trailing newline ignored), or TRIBUTARY_KAFKA_SASL_PASSWORD',
    {
      placeholder: '<file>',
    },
  ),
  kafkaSaslOauthbearerProvider: option(
    path.optional(),
    'oauthbearer: ES module whose default export returns a token ({ value }), e.g. for MSK IAM',
    { placeholder: '<module>' },
  ),
} as const);

/**
 * kafkajs' `ssl` and `sasl` given in code, as {@link kafkaSecurity} makes them: the options of a library that creates
 * Kafka clients (`createStreamJob`, `createKafkaEsConnector`), never flags or variables, never shown.
 */
export const KAFKA_CLIENT_SECURITY_OPTION_SPECS = {
  ssl: option(z.custom<KafkaConfig['ssl']>().optional(), 'Kafka TLS (kafkajs ssl)', CODE_ONLY_SECRET),
  sasl: option(z.custom<KafkaConfig['sasl']>().optional(), 'Kafka SASL (kafkajs sasl)', CODE_ONLY_SECRET),
};

export type KafkaSecurityOptions = Partial<OptionValues<typeof KAFKA_SECURITY_OPTION_SPECS>> & {
  /** The OAUTHBEARER token provider given in code (instead of `kafkaSaslOauthbearerProvider`). */
  readonly oauthBearerProvider?: OauthBearerProvider | undefined;
};

/** kafkajs' `ssl` and `sasl` for {@link createKafkaClient}; both undefined for a plaintext, unauthenticated cluster. */
export interface KafkaSecurity {
  readonly ssl: KafkaConfig['ssl'] | undefined;
  readonly sasl: SASLOptions | undefined;
}

export interface KafkaSecurityContext {
  readonly readFile?: (path: string) => string;
  /** Loads the token-provider module. @defaultValue `import()` */
  readonly importModule?: (url: string) => Promise<Record<string, unknown>>;
}

/** The options as the `TRIBUTARY_KAFKA_*` variables every Tributary CLI reads: how a child process gets them. */
export function kafkaSecurityEnv(options: KafkaSecurityOptions): Record<string, string> {
  return Object.fromEntries(
    Object.entries(KAFKA_SECURITY_OPTION_SPECS).flatMap(([key, spec]) => {
      const value = options[key as keyof typeof KAFKA_SECURITY_OPTION_SPECS];
      return value === undefined ? [] : [[spec.env as string, String(value)]];
    }),
  );
}

function invalid(flag: string, message: string): KafkaError {
  return new KafkaError(KafkaErrorCodes.INVALID_OPTION, `--${flag} ${message}`);
}

function readText(flag: string, file: string, read: (path: string) => string): string {
  try {
    return read(file);
  } catch (cause) {
    throw new KafkaError(
      KafkaErrorCodes.INVALID_OPTION,
      `--${flag} cannot read ${file}: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/**
 * Turns the options into kafkajs' `ssl` and `sasl`, reading the files and loading the token provider. Throws
 * `TRIB_KAFKA_INVALID_OPTION` naming the option for a missing file, a certificate without its key, a mechanism
 * without its credentials, or credentials without a mechanism.
 */
export async function kafkaSecurity(
  options: KafkaSecurityOptions,
  context: KafkaSecurityContext = {},
): Promise<KafkaSecurity> {
  const read = context.readFile ?? ((file: string) => readFileSync(file, 'utf8'));
  const o = options;
  if ((o.kafkaCertFile === undefined) !== (o.kafkaKeyFile === undefined))
    throw invalid(
      o.kafkaCertFile === undefined ? 'kafka-cert-file' : 'kafka-key-file',
      `is needed with --${o.kafkaCertFile === undefined ? 'kafka-key-file' : 'kafka-cert-file'} (a client certificate and its key go together)`,
    );
  const tls: ConnectionOptions = {};
  if (o.kafkaCaFile !== undefined) tls.ca = [readText('kafka-ca-file', o.kafkaCaFile, read)];
  if (o.kafkaCertFile !== undefined) tls.cert = readText('kafka-cert-file', o.kafkaCertFile, read);
  if (o.kafkaKeyFile !== undefined) tls.key = readText('kafka-key-file', o.kafkaKeyFile, read);
  if (o.kafkaKeyPassword !== undefined) tls.passphrase = o.kafkaKeyPassword;
  if (o.kafkaServername !== undefined) tls.servername = o.kafkaServername;
  const useTls = o.kafkaTls === true || Object.keys(tls).length > 0;
  return {
    ssl: useTls ? (Object.keys(tls).length > 0 ? tls : true) : undefined,
    sasl: await saslOptions(
      o,
      read,
      context.importModule ?? ((url) => import(url) as Promise<Record<string, unknown>>),
    ),
  };
}

async function saslOptions(
  o: KafkaSecurityOptions,
  read: (path: string) => string,
  importModule: (url: string) => Promise<Record<string, unknown>>,
): Promise<SASLOptions | undefined> {
  const mechanism = o.kafkaSaslMechanism;
  const given = (
    [
      ['kafka-sasl-username', o.kafkaSaslUsername],
      ['kafka-sasl-password-file', o.kafkaSaslPasswordFile],
      ['kafka-sasl-oauthbearer-provider', o.kafkaSaslOauthbearerProvider],
    ] as const
  ).find(([, value]) => value !== undefined);
  if (mechanism === undefined) {
    if (given !== undefined) throw invalid(given[0], 'needs --kafka-sasl-mechanism');
    if (o.kafkaSaslPassword !== undefined)
      throw invalid('kafka-sasl-mechanism', 'is needed with TRIBUTARY_KAFKA_SASL_PASSWORD');
    return undefined;
  }
  if (mechanism === 'oauthbearer') {
    const provider =
      o.oauthBearerProvider ?? (await loadProvider(o.kafkaSaslOauthbearerProvider, importModule));
    return { mechanism, oauthBearerProvider: provider };
  }
  if (o.kafkaSaslUsername === undefined)
    throw invalid('kafka-sasl-username', `is needed with --kafka-sasl-mechanism ${mechanism}`);
  if (o.kafkaSaslPassword !== undefined && o.kafkaSaslPasswordFile !== undefined)
    throw invalid(
      'kafka-sasl-password-file',
      'contradicts TRIBUTARY_KAFKA_SASL_PASSWORD: give the password once',
    );
  const password =
    o.kafkaSaslPassword ??
    (o.kafkaSaslPasswordFile === undefined
      ? undefined
      : readText('kafka-sasl-password-file', o.kafkaSaslPasswordFile, read).replace(/\r?\n$/, ''));
  if (password === undefined || password === '')
    throw invalid(
      'kafka-sasl-password-file',
      `(or TRIBUTARY_KAFKA_SASL_PASSWORD) is needed with --kafka-sasl-mechanism ${mechanism}`,
    );
  return { mechanism, username: o.kafkaSaslUsername, password };
}

async function loadProvider(
  module: string | undefined,
  importModule: (url: string) => Promise<Record<string, unknown>>,
): Promise<OauthBearerProvider> {
  if (module === undefined)
    throw invalid(
      'kafka-sasl-oauthbearer-provider',
      'is needed with --kafka-sasl-mechanism oauthbearer (or pass oauthBearerProvider in code)',
    );
  let loaded: Record<string, unknown>;
  try {
    loaded = await importModule(pathToFileURL(resolvePath(module)).href);
  } catch (cause) {
    throw new KafkaError(
      KafkaErrorCodes.INVALID_OPTION,
      `--kafka-sasl-oauthbearer-provider cannot load ${module}: ${(cause as Error).message}`,
      { cause },
    );
  }
  const provider = loaded['default'];
  if (typeof provider !== 'function')
    throw invalid(
      'kafka-sasl-oauthbearer-provider',
      `must name a module whose default export is a function (${module})`,
    );
  return provider as OauthBearerProvider;
}

const SASL_REFUSED =
  /SASL .*authentication failed|authentication failed during authentication|Authentication failed/i;
const TLS_REFUSED =
  /self[- ]signed certificate|unable to (verify|get local issuer)|certificate has expired|does not match certificate|ERR_TLS_CERT/i;

/**
 * A connection failure that waiting does not cure because the settings are wrong — the broker refused the SASL
 * credentials, or its TLS certificate failed verification — as `TRIB_KAFKA_INVALID_OPTION` naming the options to
 * check; undefined for anything else (a broker down is an outage, not a setting).
 */
export function kafkaSecurityFailure(error: unknown): KafkaError | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 6 && typeof e === 'object' && e !== null; depth++) {
    const { name, message, code, cause, originalError } = e as {
      name?: unknown;
      message?: unknown;
      code?: unknown;
      cause?: unknown;
      originalError?: unknown;
    };
    const text = `${String(name)} ${String(code)} ${String(message)}`;
    if (name === 'KafkaJSSASLAuthenticationError' || SASL_REFUSED.test(text))
      return new KafkaError(
        KafkaErrorCodes.INVALID_OPTION,
        `the brokers refused the SASL credentials: check --kafka-sasl-mechanism, --kafka-sasl-username and the ` +
          `password (TRIBUTARY_KAFKA_SASL_PASSWORD or --kafka-sasl-password-file) (${String(message)})`,
        { cause: error },
      );
    if (TLS_REFUSED.test(text))
      return new KafkaError(
        KafkaErrorCodes.INVALID_OPTION,
        `the brokers' TLS certificate failed verification: check --kafka-ca-file and --kafka-servername ` +
          `(${String(message)})`,
        { cause: error },
      );
    e = cause ?? originalError;
  }
  return undefined;
}
