import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeWorldReadable, resolveIntoCache } from '../runtime/cache.js';
import { assertFreeSpace, checkMaven, runMaven } from '../runtime/maven.js';
import { kafkaPom } from './pom.js';

export interface ResolveInput {
  cacheDir: string;
  version: string;
  mavenCommand: string;
  timeoutMs: number;
  log: (line: string) => void;
}

/** Name of a Kafka version's entry in the cache. */
export const kafkaCacheName = (version: string): string => `kafka-${version}`;

/**
 * Directory of the Kafka jars (`<cache>/kafka-<version>/libs`), downloaded with
 * `mvn dependency:copy-dependencies` on the first run only.
 */
export async function resolveKafka(input: ResolveInput): Promise<{ libsDir: string; downloaded: boolean }> {
  const { dir, downloaded } = await resolveIntoCache(
    input.cacheDir,
    kafkaCacheName(input.version),
    async (temp) => {
      input.log(
        `[kafka] downloading Kafka ${input.version} from Maven Central into ${input.cacheDir} (first run only)`,
      );
      await checkMaven(input.mavenCommand);
      await assertFreeSpace(input.cacheDir, 300e6, `Kafka ${input.version}`);
      const pom = join(temp, 'pom.xml');
      await writeFile(pom, kafkaPom(input.version));
      await runMaven(
        input.mavenCommand,
        ['-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${join(temp, 'libs')}`],
        `Kafka ${input.version}`,
        { cwd: temp, timeoutMs: input.timeoutMs },
      );
      // Kafka runs as `nobody` when we are root, whatever root's umask.
      await makeWorldReadable(join(temp, 'libs'));
    },
  );
  return { libsDir: join(dir, 'libs'), downloaded };
}
