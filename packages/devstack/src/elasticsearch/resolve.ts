import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVSTACK_ERROR_CODES, DevstackError } from '../errors.js';
import { makeWorldReadable, resolveIntoCache } from '../runtime/cache.js';
import { assertFreeSpace, checkMaven, runCommand, runMaven } from '../runtime/maven.js';

export interface ResolveInput {
  cacheDir: string;
  version: string;
  mavenCommand: string;
  /** JDK home, for its `jar` tool when `unzip` is not installed. */
  javaHome: string | undefined;
  timeoutMs: number;
  log: (line: string) => void;
}

/**
 * Maven coordinates of Elastic's own integ-test distribution: a real Elasticsearch with the transport, x-pack-core
 * and security modules, published to Maven Central for every release (`elasticsearch-cluster-runner` stops at 7.10.2).
 */
export const elasticsearchArtifact = (version: string): string =>
  `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${version}:zip`;

/** Name of an Elasticsearch version's entry in the cache. */
export const elasticsearchCacheName = (version: string): string => `elasticsearch-${version}`;

async function extract(zip: string, into: string, javaHome: string | undefined): Promise<void> {
  const unzip = await runCommand('unzip', ['-q', '-o', zip, '-d', into]);
  if (unzip.code === 0) return;
  const jar = javaHome === undefined ? 'jar' : join(javaHome, 'bin', 'jar');
  const jarResult = await runCommand(jar, ['xf', zip], { cwd: into });
  if (jarResult.code === 0) return;
  throw new DevstackError(
    /No space left/i.test(jarResult.output + unzip.output)
      ? DEVSTACK_ERROR_CODES.DISK_FULL
      : DEVSTACK_ERROR_CODES.RESOLVE_FAILED,
    `Could not extract ${zip} with unzip or ${jar}. Fix: install unzip or a full JDK (with the jar tool).\n` +
      `${unzip.output.trim()}\n${jarResult.output.trim()}`,
  );
}

/**
 * Elasticsearch home (`<cache>/elasticsearch-<version>/home`), downloaded with `mvn dependency:copy` and
 * extracted on the first run only.
 */
export async function resolveElasticsearch(
  input: ResolveInput,
): Promise<{ home: string; downloaded: boolean }> {
  const { dir, downloaded } = await resolveIntoCache(
    input.cacheDir,
    elasticsearchCacheName(input.version),
    async (temp) => {
      input.log(
        `[elasticsearch] downloading Elasticsearch ${input.version} from Maven Central (first run only)`,
      );
      await checkMaven(input.mavenCommand);
      await assertFreeSpace(input.cacheDir, 600e6, `Elasticsearch ${input.version}`);
      const download = join(temp, 'download');
      const unpacked = join(temp, 'unpacked');
      await mkdir(unpacked, { recursive: true });
      await runMaven(
        input.mavenCommand,
        [
          'dependency:copy',
          `-Dartifact=${elasticsearchArtifact(input.version)}`,
          `-DoutputDirectory=${download}`,
        ],
        `Elasticsearch ${input.version}`,
        { cwd: temp, timeoutMs: input.timeoutMs },
      );
      const zip = (await readdir(download)).find((name) => name.endsWith('.zip'));
      if (zip === undefined) {
        throw new DevstackError(
          DEVSTACK_ERROR_CODES.RESOLVE_FAILED,
          `Maven downloaded no zip into ${download}.`,
        );
      }
      await extract(join(download, zip), unpacked, input.javaHome);
      const top = (await readdir(unpacked)).find((name) => name.startsWith('elasticsearch-'));
      if (top === undefined) {
        throw new DevstackError(
          DEVSTACK_ERROR_CODES.RESOLVE_FAILED,
          `${zip} holds no elasticsearch-* directory.`,
        );
      }
      await rename(join(unpacked, top), join(temp, 'home'));
      await rm(download, { recursive: true, force: true });
      await rm(unpacked, { recursive: true, force: true });
      await makeWorldReadable(join(temp, 'home'));
    },
  );
  return { home: join(dir, 'home'), downloaded };
}
