import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assertTool,
  peerJarCacheKey,
  peerSourceFiles,
  peersDir,
  peerVersion,
  pomProperty,
  resolvePeerJar,
  type CommandRunner,
} from '../../src/scenarios/peer-jars.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('peer jar cache key', () => {
  it('depends on every path and content, not on their order', () => {
    const a = { path: 'pom.xml', content: bytes('<project/>') };
    const b = { path: 'flink/src/Main.java', content: bytes('class Main {}') };
    expect(peerJarCacheKey([a, b])).toBe(peerJarCacheKey([b, a]));
    expect(peerJarCacheKey([a, b])).toMatch(/^[0-9a-f]{16}$/);
    expect(peerJarCacheKey([a, { ...b, content: bytes('class Main { }') }])).not.toBe(
      peerJarCacheKey([a, b]),
    );
    expect(peerJarCacheKey([a, { ...b, path: 'flink/src/Other.java' }])).not.toBe(peerJarCacheKey([a, b]));
    // Length-prefixed: moving a byte from one file's content to the next path does not collide.
    expect(peerJarCacheKey([{ path: 'a', content: bytes('bc') }])).not.toBe(
      peerJarCacheKey([{ path: 'ab', content: bytes('c') }]),
    );
  });
});

describe('peer sources', () => {
  let dir: string;
  const put = async (path: string, text = path): Promise<void> => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peer-jars-'));
    await put('pom.xml', '<project><properties><kafka.version>4.4.0</kafka.version></properties></project>');
    await put('common/pom.xml');
    await put('common/src/main/java/A.java');
    await put('common/target/peers-common.jar');
    await put('kafka-streams/pom.xml');
    await put('kafka-streams/src/main/java/S.java');
    await put('kafka-streams/target/classes/S.class');
    await put('flink/pom.xml');
    await put('flink/src/main/java/F.java');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("lists the parent pom, common and the peer module, without target/, and the other modules' poms", async () => {
    expect(await peerSourceFiles(dir, 'kafka-streams')).toEqual([
      'common/pom.xml',
      'common/src/main/java/A.java',
      'flink/pom.xml',
      'kafka-streams/pom.xml',
      'kafka-streams/src/main/java/S.java',
      'pom.xml',
    ]);
    expect(await peerSourceFiles(dir, 'flink')).toContain('flink/src/main/java/F.java');
  });

  it('builds once per source hash with Maven, then reuses the cache entry', async () => {
    const calls: string[][] = [];
    const run: CommandRunner = async (command, args, options) => {
      calls.push([command, ...args]);
      if (args[0] === 'package' || args.includes('package')) {
        const target = join(options.cwd!, 'kafka-streams', 'target');
        await mkdir(target, { recursive: true });
        await writeFile(join(target, 'kafka-streams-peer.jar'), 'jar');
      }
      return { code: 0, output: '', missing: false };
    };
    const cacheDir = join(dir, 'cache');
    const options = { cacheDir, mavenCommand: 'mvn', sourceDir: dir, run };
    const jar = await resolvePeerJar('kafka-streams', options);
    expect(await readFile(jar, 'utf8')).toBe('jar');
    expect(calls.map((c) => c.slice(0, 6))).toEqual([
      ['mvn', '-v'],
      ['mvn', '-q', '-B', 'package', '-pl', 'kafka-streams'],
    ]);
    expect(await resolvePeerJar('kafka-streams', options)).toBe(jar);
    expect(calls).toHaveLength(2);
    // Build output in the sources changes nothing; a source change builds a new entry.
    await put('kafka-streams/target/other.class');
    expect(await resolvePeerJar('kafka-streams', options)).toBe(jar);
    await put('kafka-streams/src/main/java/S.java', 'changed');
    const rebuilt = await resolvePeerJar('kafka-streams', options);
    expect(rebuilt).not.toBe(jar);
    expect(calls).toHaveLength(4);
    // Only the jar is kept in the entry.
    await expect(stat(join(dirname(rebuilt), 'src'))).rejects.toThrow();
  });

  it('names the missing tool, its flag and how to install it', async () => {
    const missing: CommandRunner = async () => ({ code: null, output: 'spawn mvn ENOENT', missing: true });
    await expect(
      resolvePeerJar('flink', {
        cacheDir: join(dir, 'cache'),
        mavenCommand: 'mvn',
        sourceDir: dir,
        run: missing,
      }),
    ).rejects.toMatchObject({
      code: 'TRIB_BENCH_TOOL_MISSING',
      message: expect.stringMatching(/^mvn was not found \(tried "mvn -v"\).*--mvn <path>/),
    });
    await expect(assertTool('java', '/opt/jdk/bin/java', missing)).rejects.toMatchObject({
      code: 'TRIB_BENCH_TOOL_MISSING',
      message: expect.stringMatching(
        /^java was not found \(tried "\/opt\/jdk\/bin\/java -version"\).*--java <path>/,
      ),
    });
    const broken: CommandRunner = async () => ({ code: 1, output: 'Error: JAVA_HOME', missing: false });
    await expect(assertTool('mvn', 'mvn', broken)).rejects.toThrow(/^mvn does not run/);
  });

  it('fails with Maven output when the build fails', async () => {
    const run: CommandRunner = async (_c, args) =>
      args.includes('package')
        ? { code: 1, output: '[ERROR] cannot resolve org.apache.flink:flink-clients', missing: false }
        : { code: 0, output: '', missing: false };
    await expect(
      resolvePeerJar('flink', { cacheDir: join(dir, 'cache'), mavenCommand: 'mvn', sourceDir: dir, run }),
    ).rejects.toMatchObject({ code: 'TRIB_BENCH_IO', message: expect.stringContaining('cannot resolve') });
  });
});

describe('peer versions', () => {
  it('reads them from the parent pom', async () => {
    const pom = await readFile(join(peersDir(), 'pom.xml'), 'utf8');
    expect(pomProperty(pom, 'kafka.version')).toBe('4.4.0');
    expect(peerVersion(pom, 'kafka-streams')).toBe('4.4.0');
    expect(peerVersion(pom, 'flink')).toMatch(/^2\.\d+\.\d+ \/ \d+\.\d+\.\d+-2\.\d+$/);
    expect(peerVersion('<project/>', 'flink')).toBeNull();
  });
});
