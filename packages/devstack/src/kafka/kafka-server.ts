import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';
import { runCommand } from '../runtime/maven.js';
import { launchServer } from '../runtime/server-process.js';
import { isKafkaHealthy } from './health.js';
import { kafkaLog4jProperties, kafkaServerProperties, randomClusterId } from './server-properties.js';

export interface KafkaStartInput {
  javaCommand: string;
  libsDir: string;
  /** This broker's own directory: config, data and logs go under it. */
  serviceDir: string;
  port: number;
  controllerPort: number;
  heap: string;
  autoCreateTopics: boolean;
  overrides: Readonly<Record<string, string>>;
  timeoutMs: number;
  stopTimeoutMs: number;
}

export interface StartedKafka {
  pid: number;
  startupMs: number;
  /** Logs worth tailing: the broker's log4j file, then its stdout/stderr. */
  logFiles: string[];
}

/** Marks our JVMs so `down` can tell them from an unrelated process that reused a pid. */
export const KAFKA_PROCESS_MARK = '-Dtributary.devstack=kafka';

/** Formats the KRaft storage and starts a single-node broker+controller; resolves once a metadata request succeeds. */
export async function startKafka(input: KafkaStartInput): Promise<StartedKafka> {
  const dataDir = join(input.serviceDir, 'data');
  await mkdir(dataDir, { recursive: true });
  const propertiesFile = join(input.serviceDir, 'server.properties');
  const log4jFile = join(input.serviceDir, 'log4j.properties');
  const serverLog = join(input.serviceDir, 'server.log');
  const stdoutFile = join(input.serviceDir, 'stdout.log');
  await writeFile(
    propertiesFile,
    kafkaServerProperties({
      port: input.port,
      controllerPort: input.controllerPort,
      logDir: dataDir,
      autoCreateTopics: input.autoCreateTopics,
      overrides: input.overrides,
    }),
  );
  await writeFile(log4jFile, kafkaLog4jProperties(serverLog));
  const classpath = `${input.libsDir}/*`;
  const log4j = `-Dlog4j.configuration=file:${log4jFile}`;

  // A kept dataDir is formatted already (with its own cluster id): start on it as is.
  const formatted = await access(join(dataDir, 'meta.properties')).then(
    () => true,
    () => false,
  );
  if (!formatted) {
    const format = await runCommand(
      input.javaCommand,
      [
        '-Xmx256m',
        '-cp',
        classpath,
        log4j,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        randomClusterId(),
        '-c',
        propertiesFile,
      ],
      { cwd: input.serviceDir, timeoutMs: input.timeoutMs },
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

  const brokers = [`127.0.0.1:${input.port}`];
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
      log4j,
      '-cp',
      classpath,
      'kafka.Kafka',
      propertiesFile,
    ],
    cwd: input.serviceDir,
    stdoutFile,
    logFiles: [serverLog],
    isHealthy: () => isKafkaHealthy(brokers, 2000),
    timeoutMs: input.timeoutMs,
    stopTimeoutMs: input.stopTimeoutMs,
  });
  return { ...launched, logFiles: [serverLog, stdoutFile] };
}
