import { access, chown, cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';
import { launchServer } from '../runtime/server-process.js';
import { findUntraversable } from '../runtime/unprivileged-user.js';
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
  /** Run as this user (Elasticsearch refuses to run as root); its directories are chowned to it. */
  runAs: { uid: number; gid: number } | undefined;
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

async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  await chown(path, uid, gid);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await chownTree(child, uid, gid);
    else await chown(child, uid, gid);
  }
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
  for (const dir of [dataDir, logsDir, tmpDir]) await mkdir(dir, { recursive: true });
  await cp(join(input.home, 'config'), configDir, { recursive: true });
  const jvmOptions = join(configDir, 'jvm.options');
  await writeFile(jvmOptions, rewriteJvmOptions(await readFile(jvmOptions, 'utf8'), { logsDir, dataDir }));
  await writeFile(stdoutFile, '');
  const security = input.secure
    ? await setUpSecurity({
        home: input.home,
        javaHome: input.javaHome,
        configDir,
        serviceDir: input.serviceDir,
      })
    : undefined;
  if (input.runAs !== undefined) {
    for (const path of [input.home, input.serviceDir]) {
      const blocked = await findUntraversable(path);
      if (blocked !== undefined) {
        throw new DevstackError(
          DEVSTACK_ERROR_CODES.START_FAILED,
          `Elasticsearch runs as uid ${input.runAs.uid} (it refuses to run as root) and cannot reach ${path}: ` +
            `${blocked} is not traversable by other users. Fix: \`chmod o+x ${blocked}\`, or keep the cache and ` +
            'data outside it (cacheDir / TRIBUTARY_DEVSTACK_CACHE, dataDir / TRIBUTARY_DEVSTACK_DATA).',
          { service: 'elasticsearch' },
        );
      }
    }
    await chownTree(input.serviceDir, input.runAs.uid, input.runAs.gid);
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
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ES_JAVA_HOME: input.javaHome,
    ES_PATH_CONF: configDir,
    ES_TMPDIR: tmpDir,
    ES_JAVA_OPTS: `-Xms${input.heap} -Xmx${input.heap} -Dtributary.devstack=elasticsearch`,
    HOME: input.serviceDir,
  };
  delete env['JAVA_TOOL_OPTIONS'];
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
