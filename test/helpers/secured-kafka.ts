import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort, startDevstack } from '../../packages/devstack/src/index.js';

const run = promisify(execFile);

/** A second, real Kafka broker with a SASL_SSL listener (and a PLAINTEXT one for administration). */
export interface SecuredKafka {
  /** The SASL_SSL listener: TLS with a certificate signed by {@link caFile}, SCRAM-SHA-256/512 and PLAIN. */
  readonly brokers: string[];
  /** The PLAINTEXT listener, for setting up topics and users. */
  readonly plaintextBrokers: string[];
  /** PEM of the CA that signed the broker's certificate (made at start with the JDK's keytool). */
  readonly caFile: string;
  /** The SASL user known to every mechanism. */
  readonly username: string;
  readonly password: string;
  readonly stop: () => Promise<void>;
}

const STORE_PASSWORD = 'changeit';

/** The command-line flags of a component reaching `kafka`'s SASL_SSL listener as its user (password: env or file). */
export function securedKafkaFlags(
  kafka: Pick<SecuredKafka, 'caFile' | 'username'>,
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512',
): string[] {
  return [
    '--kafka-ca-file',
    kafka.caFile,
    '--kafka-sasl-mechanism',
    mechanism,
    '--kafka-sasl-username',
    kafka.username,
  ];
}

/**
 * Starts a real Kafka through the devstack with a SASL_SSL listener: a CA and a broker certificate for 127.0.0.1
 * made with keytool, the PLAIN user in the listener's JAAS line, the SCRAM credentials created with Kafka's own
 * ConfigCommand — as on a managed cluster, nothing mocked.
 */
export async function startSecuredKafka(tools: {
  javaCommand: string;
  libsDir: string;
}): Promise<SecuredKafka> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-secured-kafka-'));
  const keytool = tools.javaCommand.includes('/') ? join(dirname(tools.javaCommand), 'keytool') : 'keytool';
  const pass = `-storepass ${STORE_PASSWORD}`;
  const newKey = `-keyalg RSA -keysize 2048 -validity 2 -storetype PKCS12 ${pass} -keypass ${STORE_PASSWORD}`;
  // A CA, a broker key pair, its certificate signed by the CA for 127.0.0.1, both in the broker's keystore.
  for (const command of [
    `-genkeypair -alias ca -dname CN=tributary-test-ca -ext bc:c -keystore ca.p12 ${newKey}`,
    `-exportcert -rfc -alias ca -keystore ca.p12 ${pass} -file ca.pem`,
    `-genkeypair -alias broker -dname CN=127.0.0.1 -keystore broker.p12 ${newKey}`,
    `-certreq -alias broker -keystore broker.p12 ${pass} -file broker.csr`,
    `-gencert -alias ca -keystore ca.p12 ${pass} -infile broker.csr -outfile broker.pem -rfc -validity 2 -ext SAN=ip:127.0.0.1,dns:localhost`,
    `-importcert -noprompt -alias ca -file ca.pem -keystore broker.p12 ${pass}`,
    `-importcert -alias broker -file broker.pem -keystore broker.p12 ${pass}`,
  ])
    await run(keytool, command.split(' '), { cwd: dir });
  // Run as root, the devstack starts Kafka as an unprivileged user: it must reach the data and read the keystore.
  await chmod(dir, 0o755);
  await chmod(join(dir, 'broker.p12'), 0o644);

  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await findFreePort());
  const [plaintextPort, controllerPort, securedPort] = [...ports] as [number, number, number];
  const username = 'alice';
  const password = 'alice-secret-1';
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  const stack = await startDevstack({
    services: ['kafka'],
    kafkaPort: plaintextPort,
    kafkaControllerPort: controllerPort,
    kafkaHeap: '384m',
    dataDir: join(dir, 'data'),
    reuse: false,
    javaCommand: tools.javaCommand,
    kafkaProperties: {
      listeners: `PLAINTEXT://127.0.0.1:${plaintextPort},CONTROLLER://127.0.0.1:${controllerPort},SASL_SSL://127.0.0.1:${securedPort}`,
      'advertised.listeners': `PLAINTEXT://127.0.0.1:${plaintextPort},SASL_SSL://127.0.0.1:${securedPort}`,
      'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL',
      'ssl.keystore.location': join(dir, 'broker.p12'),
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.password': STORE_PASSWORD,
      'ssl.key.password': STORE_PASSWORD,
      'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
      'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config': scram,
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': scram,
      'listener.name.sasl_ssl.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required user_${username}="${password}";`,
    },
  });
  try {
    // One credential change per request (the broker refuses two for one user at once).
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
      await run(
        tools.javaCommand,
        [
          '-cp',
          `${tools.libsDir}/*`,
          'kafka.admin.ConfigCommand',
          '--bootstrap-server',
          `127.0.0.1:${plaintextPort}`,
          '--alter',
          '--add-config',
          `${mechanism}=[password=${password}]`,
          '--entity-type',
          'users',
          '--entity-name',
          username,
        ],
        { timeout: 120_000 },
      );
    }
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return {
    brokers: [`127.0.0.1:${securedPort}`],
    plaintextBrokers: [`127.0.0.1:${plaintextPort}`],
    caFile: join(dir, 'ca.pem'),
    username,
    password,
    stop: async () => {
      await stack.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The CA bundle's text (a test that passes `ca` directly instead of a file). */
export function readCa(kafka: SecuredKafka): Promise<string> {
  return readFile(kafka.caFile, 'utf8');
}
