import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';
import { runCommand } from '../runtime/maven.js';
import type { ElasticsearchAccess } from './health.js';

/**
 * Where a node with security on keeps what clients need (recorded in its state file): https with the CA of
 * `caFile`, basic auth as `username` with the password in `passwordFile`. The password itself is never recorded.
 */
export interface ElasticsearchSecurity {
  /** PEM of the CA that signed the node's HTTP certificate (made at start with the JDK's keytool). */
  caFile: string;
  /** SHA-256 fingerprint of that CA (`AA:BB:…`), as `esCaFingerprint` / the client's `caFingerprint` take it. */
  caFingerprint: string;
  /** The built-in superuser, `elastic`. */
  username: string;
  /** File (mode 600) holding its password, generated at start. */
  passwordFile: string;
}

const USERNAME = 'elastic';

/** The certificates of a node, in its config directory (Elasticsearch reads TLS files from there only). */
const certsDir = (configDir: string): string => join(configDir, 'certs');

/** The settings that switch security and HTTP TLS on; their secrets are in the node's keystore. */
export const SECURITY_SETTINGS: Readonly<Record<string, string>> = {
  'xpack.security.enabled': 'true',
  'xpack.security.http.ssl.enabled': 'true',
  // Relative to the config directory, where Elasticsearch may read TLS files.
  'xpack.security.http.ssl.keystore.path': 'certs/http.p12',
};

async function run(what: string, command: string, args: string[], options: Parameters<typeof runCommand>[2]) {
  const result = await runCommand(command, args, { timeoutMs: 120_000, ...options });
  if (result.code !== 0) {
    throw new DevstackError(
      DEVSTACK_ERROR_CODES.START_FAILED,
      `Cannot set up Elasticsearch security (${what}): ${command} ${args[0] ?? ''} failed` +
        `${result.missing ? ' (not found)' : ''}.\n${result.output.trim()}`,
      { service: 'elasticsearch' },
    );
  }
}

/**
 * Makes what a node needs to run with security and HTTP TLS on, in its config directory: a CA and a certificate for
 * 127.0.0.1/localhost signed by it (the JDK's keytool, as a cluster's operator would), a keystore holding the
 * PKCS#12 password and `bootstrap.password` (the `elastic` user's password, generated here) through
 * `elasticsearch-keystore`, and the password in a file of mode 600 next to the config directory.
 */
export async function setUpSecurity(input: {
  home: string;
  javaHome: string;
  configDir: string;
  serviceDir: string;
}): Promise<ElasticsearchSecurity> {
  const dir = certsDir(input.configDir);
  await mkdir(dir, { recursive: true });
  const storePassword = randomBytes(18).toString('base64url');
  const password = randomBytes(18).toString('base64url');
  const keytool = join(input.javaHome, 'bin', 'keytool');
  const key = (...args: string[]) => run('certificates', keytool, args, { cwd: dir });
  const store = (file: string) => ['-keystore', file, '-storetype', 'PKCS12', '-storepass', storePassword];
  const pair = ['-keyalg', 'RSA', '-keysize', '2048', '-validity', '825'];
  await key(
    '-genkeypair',
    '-alias',
    'ca',
    '-dname',
    'CN=tributary-devstack-ca',
    '-ext',
    'bc:c',
    ...pair,
    ...store('ca.p12'),
  );
  await key('-exportcert', '-rfc', '-alias', 'ca', '-file', 'ca.pem', ...store('ca.p12'));
  await key('-genkeypair', '-alias', 'http', '-dname', 'CN=127.0.0.1', ...pair, ...store('http.p12'));
  await key('-certreq', '-alias', 'http', '-file', 'http.csr', ...store('http.p12'));
  await key(
    '-gencert',
    '-alias',
    'ca',
    '-infile',
    'http.csr',
    '-outfile',
    'http.pem',
    '-rfc',
    '-validity',
    '825',
    '-ext',
    'SAN=ip:127.0.0.1,dns:localhost',
    ...store('ca.p12'),
  );
  // The CA first, so the signed certificate is stored with its chain (the node sends both; a pinned fingerprint
  // is checked against the CA at the end of the chain).
  await key('-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.pem', ...store('http.p12'));
  await key('-importcert', '-alias', 'http', '-file', 'http.pem', ...store('http.p12'));
  await run(
    'keystore',
    join(input.home, 'bin', 'elasticsearch-keystore'),
    ['add', '--force', '--stdin', 'bootstrap.password', 'xpack.security.http.ssl.keystore.secure_password'],
    {
      env: { ...withoutJavaToolOptions(), ES_JAVA_HOME: input.javaHome, ES_PATH_CONF: input.configDir },
      input: `${password}\n${storePassword}\n`,
    },
  );
  const caFile = join(dir, 'ca.pem');
  const passwordFile = join(input.serviceDir, 'elastic.password');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return {
    caFile,
    caFingerprint: new X509Certificate(await readFile(caFile)).fingerprint256,
    username: USERNAME,
    passwordFile,
  };
}

function withoutJavaToolOptions(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['JAVA_TOOL_OPTIONS'];
  return env;
}

/** The CA, user and password of a node with security on, read from the files its state names. */
export async function readAccess(security: ElasticsearchSecurity): Promise<ElasticsearchAccess> {
  const [ca, password] = await Promise.all([
    readFile(security.caFile, 'utf8'),
    readFile(security.passwordFile, 'utf8'),
  ]);
  return { ca, username: security.username, password: password.trim() };
}
