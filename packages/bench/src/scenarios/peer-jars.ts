import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveIntoCache } from '@tributary/devstack';
import { BENCH_ERROR_CODES, BenchError } from '../errors.js';
import { COMPONENTS, type Component } from '../report/results.js';

/** The JVM peers of the `peers-latency` scenario: the clickstream job in Kafka Streams and in Flink. */
export const JVM_PEERS = { KAFKA_STREAMS: 'kafka-streams', FLINK: 'flink' } as const;
export type JvmPeer = (typeof JVM_PEERS)[keyof typeof JVM_PEERS];
export const JVM_PEER_VALUES: readonly JvmPeer[] = Object.values(JVM_PEERS);

export interface JvmPeerSpec {
  /** Maven module under `packages/bench/peers`. */
  readonly module: string;
  /** The module's shaded jar (`<finalName>.jar`). */
  readonly jar: string;
  readonly component: Component;
  /** Printed by the peer once it processes (Kafka Streams RUNNING, Flink job RUNNING). */
  readonly readyLine: string;
  /** Properties of the parent pom whose values are the peer's version, in the results. */
  readonly versionProperties: readonly string[];
}

export const JVM_PEER_SPECS: Readonly<Record<JvmPeer, JvmPeerSpec>> = {
  [JVM_PEERS.KAFKA_STREAMS]: {
    module: 'kafka-streams',
    jar: 'kafka-streams-peer.jar',
    component: COMPONENTS.KAFKA_STREAMS,
    readyLine: 'kafka-streams running',
    versionProperties: ['kafka.version'],
  },
  [JVM_PEERS.FLINK]: {
    module: 'flink',
    jar: 'flink-peer.jar',
    component: COMPONENTS.FLINK,
    readyLine: 'flink running',
    versionProperties: ['flink.version', 'flink-connector-kafka.version'],
  },
};

/** The Maven projects of the peers (`packages/bench/peers`), from `src/scenarios` and `dist/scenarios` alike. */
export function peersDir(): string {
  return fileURLToPath(new URL('../../peers', import.meta.url));
}

/** `<name>value</name>` of a pom's properties, or null. */
export function pomProperty(pom: string, name: string): string | null {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`<${escaped}>\\s*([^<\\s]+)\\s*</${escaped}>`).exec(pom)?.[1] ?? null;
}

/** `4.4.0`, `2.2.1 / 5.0.0-2.2`: the versions a peer is built with, from the parent pom. */
export function peerVersion(parentPom: string, peer: JvmPeer): string | null {
  const values = JVM_PEER_SPECS[peer].versionProperties.map((p) => pomProperty(parentPom, p));
  return values.every((v) => v !== null) ? values.join(' / ') : null;
}

/**
 * The files a peer's jar is built from, relative to `dir` with `/` separators, sorted: the parent pom, the shared
 * `common` module and the peer's module, without Maven's `target/` output, and the other modules' poms (Maven reads
 * every module of the parent).
 */
export async function peerSourceFiles(dir: string, peer: JvmPeer): Promise<string[]> {
  const files = ['pom.xml'];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== 'target') await walk(path);
      else if (entry.isFile()) files.push(relative(dir, path).split(sep).join('/'));
    }
  };
  const built = ['common', JVM_PEER_SPECS[peer].module];
  for (const module of built) await walk(join(dir, module));
  // Maven reads the pom of every module the parent lists, even those `-pl` leaves out.
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || built.includes(entry.name)) continue;
    const pom = join(dir, entry.name, 'pom.xml');
    if (
      await readFile(pom).then(
        () => true,
        () => false,
      )
    )
      files.push(`${entry.name}/pom.xml`);
  }
  return files.sort();
}

/** Cache key of a jar: SHA-256 over each source file's path and content, in path order (16 hex digits). */
export function peerJarCacheKey(
  files: readonly { readonly path: string; readonly content: Uint8Array }[],
): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${file.path}\0${file.content.byteLength}\0`);
    hash.update(file.content);
  }
  return hash.digest('hex').slice(0, 16);
}

export interface CommandOutcome {
  readonly code: number | null;
  readonly output: string;
  /** The command itself was not found (ENOENT). */
  readonly missing: boolean;
}

/** Runs a command to its end; never rejects. Replaced in tests. */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  options: { readonly cwd?: string; readonly timeoutMs: number },
) => Promise<CommandOutcome>;

export const runCommand: CommandRunner = (command, args, options) =>
  new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { cwd: options.cwd, timeout: options.timeoutMs, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error === null) return resolve({ code: 0, output, missing: false });
        resolve({
          code: typeof error.code === 'number' ? error.code : null,
          output: `${output}${error.message}`,
          missing: (error as NodeJS.ErrnoException).code === 'ENOENT',
        });
      },
    );
  });

const INSTALL_HINT =
  'Install a JDK 17+ and Maven 3.6+ (e.g. `apt-get install openjdk-17-jdk-headless maven`)';

/** Throws `TRIB_BENCH_TOOL_MISSING` naming the tool unless `<command> <args>` runs. */
export async function assertTool(
  what: 'java' | 'mvn',
  command: string,
  run: CommandRunner = runCommand,
): Promise<void> {
  const outcome = await run(command, what === 'java' ? ['-version'] : ['-v'], { timeoutMs: 60_000 });
  if (outcome.code === 0) return;
  const flag = what === 'java' ? '--java' : '--mvn';
  throw new BenchError(
    BENCH_ERROR_CODES.TOOL_MISSING,
    `${what} ${outcome.missing ? 'was not found' : 'does not run'} (tried "${command} ${what === 'java' ? '-version' : '-v'}"): ` +
      `the peers-latency scenario ${what === 'java' ? 'runs' : 'builds'} its Kafka Streams and Flink jobs with it. ` +
      `${INSTALL_HINT}, or pass ${flag} <path>.`,
    { details: { tool: what, command } },
  );
}

export interface PeerJarOptions {
  /** Where built jars are kept: `<cacheDir>/<peer>-<key>/<jar>`. */
  readonly cacheDir: string;
  readonly mavenCommand: string;
  /** The peers' Maven projects. @defaultValue {@link peersDir} */
  readonly sourceDir?: string;
  /** Time allowed for one Maven build (the first one downloads the dependencies). @defaultValue 15 min */
  readonly buildTimeoutMs?: number;
  readonly log?: (line: string) => void;
  readonly run?: CommandRunner;
}

/**
 * The peer's runnable jar, built on demand: the sources are copied into a fresh cache entry named after their
 * hash, `mvn -q -B package -pl <module> -am` builds the shaded jar there, and only the jar is kept. The same sources
 * reuse the entry; any change to a pom or a source file builds a new one.
 */
export async function resolvePeerJar(peer: JvmPeer, options: PeerJarOptions): Promise<string> {
  const spec = JVM_PEER_SPECS[peer];
  const source = options.sourceDir ?? peersDir();
  const run = options.run ?? runCommand;
  const paths = await peerSourceFiles(source, peer);
  const files = await Promise.all(
    paths.map(async (path) => ({ path, content: await readFile(join(source, path)) })),
  );
  const key = peerJarCacheKey(files);
  const { dir, downloaded } = await resolveIntoCache(options.cacheDir, `${peer}-${key}`, async (temp) => {
    await assertTool('mvn', options.mavenCommand, run);
    const build = join(temp, 'src');
    for (const file of files) {
      await mkdir(dirname(join(build, file.path)), { recursive: true });
      await copyFile(join(source, file.path), join(build, file.path));
    }
    options.log?.(
      `peers-latency: building the ${peer} peer with Maven (${options.mavenCommand}; the first build downloads its dependencies)`,
    );
    const outcome = await run(
      options.mavenCommand,
      ['-q', '-B', 'package', '-pl', spec.module, '-am', '-f', join(build, 'pom.xml')],
      { cwd: build, timeoutMs: options.buildTimeoutMs ?? 15 * 60_000 },
    );
    if (outcome.missing) await assertTool('mvn', options.mavenCommand, run);
    if (outcome.code !== 0) {
      throw new BenchError(
        BENCH_ERROR_CODES.IO,
        `Maven could not build the ${peer} peer (${options.mavenCommand} -q -B package -pl ${spec.module} -am): ` +
          outcome.output.trim().split('\n').slice(-25).join('\n'),
      );
    }
    await copyFile(join(build, spec.module, 'target', spec.jar), join(temp, spec.jar));
    await rm(build, { recursive: true, force: true });
  });
  if (downloaded) options.log?.(`peers-latency: built ${join(dir, spec.jar)}`);
  return join(dir, spec.jar);
}
