import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import type { Environment } from './results.js';

const require = createRequire(import.meta.url);

/** Libraries whose versions every results file records when installed. */
export const RECORDED_LIBRARIES = [
  'kafkajs',
  '@elastic/elasticsearch',
  'hdr-histogram-js',
  'autocannon',
] as const;

/** Version of an installed package, or null when it cannot be resolved from here. */
export function installedVersion(name: string): string | null {
  try {
    const pkg = require(`${name}/package.json`) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
}

/** First line of `java -version` (printed on stderr), or null when no `java` runs within the timeout. */
export function javaVersion(javaBin = 'java', timeoutMs = 5000): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(javaBin, ['-version'], { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) return resolve(null);
      const line = `${stderr}${stdout}`.split('\n').find((l) => l.trim() !== '');
      resolve(line?.trim() ?? null);
    });
  });
}

export interface EnvironmentOptions {
  /** Versions to record besides the libraries (kafka and elasticsearch server versions, @tributary/*…). */
  readonly versions?: Readonly<Record<string, string>>;
  /** Known `java -version` line; when absent `java -version` is run. Pass null to record none. */
  readonly java?: string | null;
}

/** Node, Java, OS, CPU model and cores, memory, and the versions of what is measured. */
export async function collectEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  const cpus = os.cpus();
  const versions: Record<string, string> = {};
  for (const name of RECORDED_LIBRARIES) {
    const v = installedVersion(name);
    if (v !== null) versions[name] = v;
  }
  Object.assign(versions, options.versions ?? {});
  return {
    node: process.version,
    java: options.java === undefined ? await javaVersion() : options.java,
    os: { platform: os.platform(), release: os.release(), arch: os.arch() },
    cpu: { model: cpus[0]?.model.trim() ?? 'unknown', cores: Math.max(1, cpus.length) },
    memoryMB: Math.round(os.totalmem() / (1024 * 1024)),
    versions,
  };
}
