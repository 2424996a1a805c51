import { execFile } from 'node:child_process';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';

/** Elasticsearch 8 needs the SecurityManager, removed in JDK 24; Kafka 3.9 needs at least 11, ES 8 at least 17. */
export const JAVA_VERSION_RANGE = { min: 17, maxExclusive: 24 } as const;

export interface JavaInfo {
  /** Feature version: 17 for "17.0.15", 8 for "1.8.0_292". */
  major: number;
  /** The full version text, e.g. "17.0.15". */
  version: string;
  /** `java.home` of the runtime (used as ES_JAVA_HOME), when reported. */
  home: string | undefined;
}

/**
 * Parses the output of `java -XshowSettings:properties -version` (or plain `java -version`).
 * Returns undefined when no version can be found.
 */
export function parseJavaVersion(output: string): JavaInfo | undefined {
  const property = /^\s*java\.version = (\S+)\s*$/m.exec(output);
  const banner = /version "([^"]+)"/.exec(output);
  const version = property?.[1] ?? banner?.[1];
  if (version === undefined) return undefined;
  const parts = version.split(/[.+_-]/);
  let major = Number(parts[0]);
  if (major === 1 && parts.length > 1) major = Number(parts[1]);
  if (!Number.isInteger(major)) return undefined;
  const home = /^\s*java\.home = (.+?)\s*$/m.exec(output)?.[1];
  return { major, version, home };
}

/** Throws `TRIB_DEVSTACK_JAVA_VERSION` unless the runtime is in {@link JAVA_VERSION_RANGE}. */
export function assertJavaVersion(info: JavaInfo, javaCommand: string): void {
  if (info.major < JAVA_VERSION_RANGE.min || info.major >= JAVA_VERSION_RANGE.maxExclusive) {
    throw new DevstackError(
      DEVSTACK_ERROR_CODES.JAVA_VERSION,
      `${javaCommand} is Java ${info.version}; the devstack needs Java ${JAVA_VERSION_RANGE.min} to ` +
        `${JAVA_VERSION_RANGE.maxExclusive - 1} (Elasticsearch 8 needs the SecurityManager, removed in Java 24). ` +
        'Fix: install a JDK 17 or 21 (e.g. `apt-get install openjdk-17-jdk-headless`) and put it first on PATH, ' +
        'or pass javaCommand / --java.',
    );
  }
}

/** Runs `<javaCommand> -XshowSettings:properties -version` and checks the version. */
export async function checkJava(javaCommand: string): Promise<JavaInfo> {
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      javaCommand,
      ['-XshowSettings:properties', '-version'],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error !== null && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(
            new DevstackError(
              DEVSTACK_ERROR_CODES.JAVA_MISSING,
              `Java was not found (tried "${javaCommand}"). Fix: install a JDK 17–23 ` +
                '(e.g. `apt-get install openjdk-17-jdk-headless`) or pass javaCommand / --java with its path.',
              { cause: error },
            ),
          );
          return;
        }
        resolve(`${stdout}\n${stderr}`);
      },
    );
  });
  const info = parseJavaVersion(output);
  if (info === undefined) {
    throw new DevstackError(
      DEVSTACK_ERROR_CODES.JAVA_MISSING,
      `"${javaCommand} -version" printed no Java version. Fix: point javaCommand / --java at a JDK 17–23 java binary.`,
    );
  }
  assertJavaVersion(info, javaCommand);
  return info;
}
