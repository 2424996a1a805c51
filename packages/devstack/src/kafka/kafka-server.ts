import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';
import { childEnvironment } from '../runtime/child-environment.js';
import { runCommand } from '../runtime/maven.js';
import { writeFileSafely } from '../runtime/path-safety.js';
import { launchServer } from '../runtime/server-process.js';
import { prepareDirectory, prepareFile } from '../runtime/service-directory.js';
import { assertReachable, type RunAs } from '../runtime/unprivileged-user.js';
import { isKafkaHealthy } from './health.js';
import { kafkaLog4jProperties, kafkaServerProperties, randomClusterId } from './server-properties.js';

/** What (re)launching a broker on an existing service directory needs: its config is already written there. */
export interface KafkaLaunchInput {
  javaCommand: string;
  libsDir: string;
  /** This broker's own directory: config, data and logs go under it. */
  serviceDir: string;
  port: number;
  heap: string;
  timeoutMs: number;
  stopTimeoutMs: number;
  /**
   * Run as this user when we are root (see `unprivilegedUser`); its data directory and log file are then its own,
   * the configuration files root's.
   */
  runAs: RunAs | undefined;
  /** Called with the pid once the JVM is spawned, before it is healthy. */
  onSpawn?: (pid: number) => Promise<void>;
}

export interface KafkaStartInput extends KafkaLaunchInput {
  controllerPort: number;
  autoCreateTopics: boolean;
  overrides: Readonly<Record<string, string>>;
}

export interface StartedKafka {
  pid: number;
  startupMs: number;
  /** Logs worth tailing: the broker's log4j file, then its stdout/stderr. */
  logFiles: string[];
}

/** Marks our JVMs so `down` can tell them from an unrelated process that reused a pid. */
export const KAFKA_PROCESS_MARK = '-Dtributary.devstack=kafka';

/** The files of a broker in its service directory. */
function kafkaFiles(serviceDir: string): {
  dataDir: string;
  propertiesFile: string;
  log4jFile: string;
  serverLog: string;
  stdoutFile: string;
} {
  return {
    dataDir: join(serviceDir, 'data'),
    propertiesFile: join(serviceDir, 'server.properties'),
    log4jFile: join(serviceDir, 'log4j.properties'),
    serverLog: join(serviceDir, 'server.log'),
    stdoutFile: join(serviceDir, 'stdout.log'),
  };
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * The service directory of a broker run as `runAs` by root: the directory, `server.properties` and
 * `log4j.properties` root's; `data/` and `server.log` the broker's. Made without following links (see
 * service-directory.ts); the configuration is written with O_NOFOLLOW.
 */
async function prepareAsRoot(
  input: KafkaStartInput,
  runAs: RunAs,
  config: { properties: string; log4j: string },
): Promise<void> {
  const { dataDir, propertiesFile, log4jFile, serverLog, stdoutFile } = kafkaFiles(input.serviceDir);
  await prepareDirectory(input.serviceDir, 'root', runAs);
  await prepareDirectory(dataDir, 'user', runAs);
  for (const [file, content] of [
    [propertiesFile, config.properties],
    [log4jFile, config.log4j],
  ] as const) {
    await prepareFile(file, 'root', runAs);
    await writeFileSafely(file, content, { mode: 0o644, owners: [0] });
  }
  await prepareFile(stdoutFile, 'root', runAs);
  await prepareFile(serverLog, 'user', runAs);
  await assertReachable('kafka', runAs, [input.libsDir, input.serviceDir]);
}

/** The environment of the broker and of the storage tool: ours, or only what they need when run as `runAs`. */
function kafkaEnvironment(input: KafkaLaunchInput): NodeJS.ProcessEnv | undefined {
  if (input.runAs === undefined) return undefined;
  return childEnvironment({ inherited: process.env, unprivileged: true, set: { HOME: input.serviceDir } });
}

/** Formats the KRaft storage and starts a single-node broker+controller; resolves once a metadata request succeeds. */
export async function startKafka(input: KafkaStartInput): Promise<StartedKafka> {
  const { dataDir, propertiesFile, log4jFile, serverLog } = kafkaFiles(input.serviceDir);
  const properties = kafkaServerProperties({
    port: input.port,
    controllerPort: input.controllerPort,
    logDir: dataDir,
    autoCreateTopics: input.autoCreateTopics,
    overrides: input.overrides,
  });
  const log4j = kafkaLog4jProperties(serverLog);
  if (input.runAs === undefined) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(propertiesFile, properties);
    await writeFile(log4jFile, log4j);
  } else {
    await prepareAsRoot(input, input.runAs, { properties, log4j });
  }
  const env = kafkaEnvironment(input);

  // A kept dataDir is formatted already (with its own cluster id): start on it as is.
  if (!(await exists(join(dataDir, 'meta.properties')))) {
    const format = await runCommand(
      input.javaCommand,
      [
        '-Xmx256m',
        '-cp',
        `${input.libsDir}/*`,
        `-Dlog4j.configuration=file:${log4jFile}`,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        randomClusterId(),
        '-c',
        propertiesFile,
      ],
      {
        cwd: input.serviceDir,
        timeoutMs: input.timeoutMs,
        ...(env === undefined ? {} : { env }),
        runAs: input.runAs,
      },
    );
    if (format.code !== 0) {
      const logTail = format.output.trim().split('\n').slice(-30);
      throw new DevstackError(
        DEVSTACK_ERROR_CODES.START_FAILED,
        `Formatting the Kafka storage in ${dataDir} failed. Fix: read the output below; delete the cache entry ` +
          `${input.libsDir} if it is corrupt.\n${logTail.join('\n')}`,
        { service: 'kafka', logTail },
      );
    }
  }
  return launchKafka(input);
}

/**
 * Starts the broker of a service directory prepared by {@link startKafka} (config written, storage formatted) and
 * resolves once a metadata request succeeds. A restart goes through here with the recorded launch settings.
 */
export async function launchKafka(input: KafkaLaunchInput): Promise<StartedKafka> {
  const { dataDir, propertiesFile, log4jFile, serverLog, stdoutFile } = kafkaFiles(input.serviceDir);
  for (const required of [propertiesFile, log4jFile, join(dataDir, 'meta.properties')]) {
    if (!(await exists(required))) {
      throw new DevstackError(
        DEVSTACK_ERROR_CODES.START_FAILED,
        `Cannot launch Kafka from ${input.serviceDir}: ${required} is missing (was the data directory removed?). ` +
          'Fix: start a fresh broker with `tributary-devstack up` / startDevstack().',
        { service: 'kafka', port: input.port },
      );
    }
  }
  const brokers = [`127.0.0.1:${input.port}`];
  const env = kafkaEnvironment(input);
  const launched = await launchServer({
    service: 'kafka',
    command: input.javaCommand,
    args: [
      `-Xms${input.heap}`,
      `-Xmx${input.heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      KAFKA_PROCESS_MARK,
      `-Dlog4j.configuration=file:${log4jFile}`,
      '-cp',
      `${input.libsDir}/*`,
      'kafka.Kafka',
      propertiesFile,
    ],
    cwd: input.serviceDir,
    ...(env === undefined ? {} : { env }),
    ...(input.runAs === undefined ? {} : { uid: input.runAs.uid, gid: input.runAs.gid }),
    stdoutFile,
    logFiles: [serverLog],
    isHealthy: () => isKafkaHealthy(brokers, 2000),
    timeoutMs: input.timeoutMs,
    stopTimeoutMs: input.stopTimeoutMs,
    ...(input.onSpawn === undefined ? {} : { onSpawn: input.onSpawn }),
  });
  return { ...launched, logFiles: [serverLog, stdoutFile] };
}
