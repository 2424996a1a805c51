import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * "npm install a single package" for real: pack every workspace package, install one tarball (plus the
 * tarballs of the @tributary packages it depends on, which are not on the registry yet) into an empty project,
 * import it through its exports map and run its bin with --help.
 */
const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const packageDirs = [
  'options',
  'schema',
  'kafka',
  'observability',
  'devstack',
  'producer',
  'processor',
  'es-sink',
  'dashboard',
  'bench',
];

interface Manifest {
  name: string;
  version: string;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  exports: Record<string, unknown>;
  files: string[];
}

const manifests = new Map<string, Manifest>();
const tarballs = new Map<string, string>();
let workDir = '';

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest;
}

function internalClosure(name: string, seen = new Set<string>()): Set<string> {
  seen.add(name);
  for (const dep of Object.keys(manifests.get(name)?.dependencies ?? {})) {
    if (dep.startsWith('@tributary/') && !seen.has(dep)) internalClosure(dep, seen);
  }
  return seen;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'tributary-pack-'));
  for (const dir of packageDirs) {
    const manifest = await readManifest(dir);
    manifests.set(manifest.name, manifest);
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workDir], {
      cwd: join(root, 'packages', dir),
    });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    tarballs.set(manifest.name, join(workDir, filename));
  }
}, 300_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe.each(packageDirs)('packages/%s', (dir) => {
  it('packs, installs alone into an empty project, imports and runs its bin --help', async () => {
    const manifest = await readManifest(dir);
    // dist, plus the Prometheus alert rules for the packages that ship them, and the bench's JVM peers as sources
    // (built on demand by `bench --scenarios peers-latency`; never their Maven output).
    const shipped: Record<string, string[]> = { bench: ['peers', '!peers/**/target'] };
    expect(manifest.files.filter((f) => f !== 'prometheus')).toEqual(['dist', ...(shipped[dir] ?? [])]);
    expect(Object.keys(manifest.exports)).toContain('.');

    const project = await mkdtemp(join(workDir, `consumer-${dir}-`));
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    const wanted = [...internalClosure(manifest.name)].map((name) => tarballs.get(name)!);
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=dev', ...wanted], {
      cwd: project,
      maxBuffer: 16 * 1024 * 1024,
    });

    const { stdout: exported } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import('${manifest.name}'); console.log(JSON.stringify(Object.keys(m)));`,
      ],
      { cwd: project },
    );
    expect((JSON.parse(exported) as string[]).length).toBeGreaterThan(1);

    // Every other subpath of the exports map (e.g. @tributary/processor/testing) imports too.
    for (const subpath of Object.keys(manifest.exports)) {
      if (subpath === '.' || subpath === './package.json') continue;
      const specifier = `${manifest.name}${subpath.slice(1)}`;
      const { stdout: names } = await run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import('${specifier}'); console.log(JSON.stringify(Object.keys(m)));`,
        ],
        { cwd: project },
      );
      expect((JSON.parse(names) as string[]).length, specifier).toBeGreaterThan(0);
    }

    if (manifest.files.includes('prometheus')) {
      const rules = await readFile(
        join(project, 'node_modules', manifest.name, 'prometheus', 'alerts.yml'),
        'utf8',
      );
      expect(rules, 'the alert rules ship with the package').toMatch(/^groups:/m);
    }

    await expect(
      run(
        process.execPath,
        ['--input-type=module', '-e', `await import('${manifest.name}/dist/index.js');`],
        { cwd: project },
      ),
      'deep imports are blocked by the exports map',
    ).rejects.toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);

    for (const bin of Object.keys(manifest.bin ?? {})) {
      const { stdout: help } = await run(join(project, 'node_modules', '.bin', bin), ['--help'], {
        cwd: project,
      });
      expect(help, `${bin} --help`).toMatch(/usage/i);
    }
  }, 300_000);
});

describe('the workspace after npm ci', () => {
  it.each(packageDirs)(
    'links the bins of packages/%s into node_modules/.bin, so `npx <bin>` works from the root',
    async (dir) => {
      const manifest = await readManifest(dir);
      for (const bin of Object.keys(manifest.bin ?? {})) {
        const { stdout: help } = await run('npx', ['--no-install', bin, '--help'], { cwd: root });
        expect(help, `npx ${bin} --help`).toMatch(/usage/i);
      }
    },
  );
});
