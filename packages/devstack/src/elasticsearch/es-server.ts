import { access, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';
import { childEnvironment } from '../runtime/child-environment.js';
import { writeFileSafely } from '../runtime/path-safety.js';
import { launchServer } from '../runtime/server-process.js';
import { handOverTree, prepareDirectory, prepareFile, removeTree } from '../runtime/service-directory.js';
import { assertReachable, type RunAs } from '../runtime/unprivileged-user.js';
import { esUrl, isElasticsearchHealthy } from './health.js';
import { rewriteJvmOptions } from './jvm-options.js';
import { readAccess, SECURITY_SETTINGS, setUpSecurity, type ElasticsearchSecurity } from './security.js';
import { elasticsearchSettings, settingsToArgs } from './settings.js';

/** Starting a node, or relaunching one on a service directory prepared by {@link startElasticsearch}. */
export interface ElasticsearchStartInput {
  home: string;
  /** JDK home used as ES_JAVA_HOME (the integ-test distribution bundles no JDK). */
  javaHome: string;
  /** This node's own directory: config copy, data, logs and tmp go under it. */
  serviceDir: string;
  port: number;
  transportPort: number;
  heap: string;
  writeQueueSize: number | undefined;
  writeThreadPoolSize: number | undefined;
  settings: Readonly<Record<string, string>>;
  timeoutMs: number;
  stopTimeoutMs: number;
  /**
   * Run as this user when we are root (Elasticsearch refuses to run as root): its config, data, logs and tmp
   * directories are then its own, the service directory, stdout.log and the password file root's.
   */
  runAs: RunAs | undefined;
  /** Called with the pid once the launcher is spawned, before the node is healthy. */
  onSpawn?: (pid: number) => Promise<void>;
  /** Security and HTTP TLS are on, with these certificates and credentials (made by {@link startElasticsearch}). */
  security?: ElasticsearchSecurity | undefined;
}

export interface StartedElasticsearch {
  pid: number;
  startupMs: number;
  logFiles: string[];
}

/** The directories and files of a node in its service directory. */
function elasticsearchFiles(serviceDir: string): {
  configDir: string;
  dataDir: string;
  logsDir: string;
  tmpDir: string;
  stdoutFile: string;
} {
  return {
    configDir: join(serviceDir, 'config'),
    dataDir: join(serviceDir, 'data'),
    logsDir: join(serviceDir, 'logs'),
    tmpDir: join(serviceDir, 'tmp'),
    stdoutFile: join(serviceDir, 'stdout.log'),
  };
}

/**
 * Starts a single-node Elasticsearch; resolves once cluster health is yellow or green. With `secure`, security and
 * HTTP TLS are on: certificates and the `elastic` user's password are made first (see `setUpSecurity`).
 */
export async function startElasticsearch(
  input: Omit<ElasticsearchStartInput, 'security'> & { secure: boolean },
): Promise<StartedElasticsearch & { security: ElasticsearchSecurity | undefined }> {
  const { configDir, dataDir, logsDir, tmpDir, stdoutFile } = elasticsearchFiles(input.serviceDir);
  const jvmOptions = join(configDir, 'jvm.options');
  const { runAs } = input;
  if (runAs === undefined) {
    for (const dir of [dataDir, logsDir, tmpDir]) await mkdir(dir, { recursive: true });
    await cp(join(input.home, 'config'), configDir, { recursive: true });
    await writeFile(jvmOptions, rewriteJvmOptions(await readFile(jvmOptions, 'utf8'), { logsDir, dataDir }));
    await writeFile(stdoutFile, '');
  } else {
    // Root's service directory; the node's own directories; a fresh config made by root, handed over below.
    await prepareDirectory(input.serviceDir, 'root', runAs);
    for (const dir of [dataDir, logsDir, tmpDir]) await prepareDirectory(dir, 'user', runAs);
    await removeTree(configDir);
    await mkdir(configDir, { mode: 0o755 });
    await cp(join(input.home, 'config'), configDir, {
      recursive: true,
      errorOnExist: true,
      force: false,
      verbatimSymlinks: true,
    });
    const rewritten = rewriteJvmOptions(await readFile(jvmOptions, 'utf8'), { logsDir, dataDir });
    await writeFileSafely(jvmOptions, rewritten, { mode: 0o644, owners: [0] });
    await prepareFile(stdoutFile, 'root', runAs);
    await writeFileSafely(stdoutFile, '', { mode: 0o644, owners: [0] });
    await prepareFile(join(input.serviceDir, 'elastic.password'), 'root', runAs);
  }
  const security = input.secure
    ? await setUpSecurity({
        home: input.home,
        javaHome: input.javaHome,
        configDir,
        serviceDir: input.serviceDir,
      })
    : undefined;
  if (runAs !== undefined) {
    await assertReachable('elasticsearch', runAs, [input.home, input.serviceDir]);
    await handOverTree(configDir, runAs);
  }
  return { ...(await launchElasticsearch({ ...input, security })), security };
}

/**
 * Starts the node of a service directory prepared by {@link startElasticsearch} (config copied, directories owned by
 * the user it runs as) and resolves once cluster health is yellow or green. A restart goes through here.
 */
export async function launchElasticsearch(input: ElasticsearchStartInput): Promise<StartedElasticsearch> {
  const { configDir, dataDir, logsDir, tmpDir, stdoutFile } = elasticsearchFiles(input.serviceDir);
  const configured = await access(join(configDir, 'jvm.options')).then(
    () => true,
    () => false,
  );
  if (!configured) {
    throw new DevstackError(
      DEVSTACK_ERROR_CODES.START_FAILED,
      `Cannot launch Elasticsearch from ${input.serviceDir}: its config directory is missing (was the data ` +
        'directory removed?). Fix: start a fresh node with `tributary-devstack up` / startDevstack().',
      { service: 'elasticsearch', port: input.port },
    );
  }
  const settings = elasticsearchSettings({
    port: input.port,
    transportPort: input.transportPort,
    dataDir,
    logsDir,
    writeQueueSize: input.writeQueueSize,
    writeThreadPoolSize: input.writeThreadPoolSize,
    extra: input.security === undefined ? input.settings : { ...SECURITY_SETTINGS, ...input.settings },
  });
  const url = esUrl(input.port, input.security !== undefined);
  const credentials = input.security === undefined ? undefined : await readAccess(input.security);
  const serverLog = join(logsDir, `${settings['cluster.name'] ?? 'elasticsearch'}.log`);
  const env = childEnvironment({
    inherited: process.env,
    unprivileged: input.runAs !== undefined,
    set: {
      ES_JAVA_HOME: input.javaHome,
      ES_PATH_CONF: configDir,
      ES_TMPDIR: tmpDir,
      ES_JAVA_OPTS: `-Xms${input.heap} -Xmx${input.heap} -Dtributary.devstack=elasticsearch`,
      HOME: input.serviceDir,
    },
  });
  const launched = await launchServer({
    service: 'elasticsearch',
    command: join(input.home, 'bin', 'elasticsearch'),
    args: settingsToArgs(settings),
    cwd: input.serviceDir,
    env,
    ...(input.runAs === undefined ? {} : { uid: input.runAs.uid, gid: input.runAs.gid }),
    stdoutFile,
    // stdout.log already carries everything the server log has, plus the launcher's own errors.
    logFiles: [],
    isHealthy: () => isElasticsearchHealthy(url, 2000, credentials),
    timeoutMs: input.timeoutMs,
    stopTimeoutMs: input.stopTimeoutMs,
    ...(input.onSpawn === undefined ? {} : { onSpawn: input.onSpawn }),
  });
  return { ...launched, logFiles: [serverLog] };
}
