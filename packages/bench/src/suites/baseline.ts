import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidOptionError } from '../errors.js';

/**
 * `packages/<name>/dist` of another checkout (`--baseline <dir>`): a clone or worktree of this repository where
 * `npm ci && npx nx run-many -t build` ran, so its packages import their own siblings from its node_modules.
 */
export function baselineDist(checkout: string, name: string): string {
  const dist = join(resolve(checkout), 'packages', name, 'dist');
  if (!existsSync(join(dist, 'index.js'))) {
    throw new InvalidOptionError(
      '--baseline',
      `must be a checkout with built packages: ${join(dist, 'index.js')} is missing (run npm ci && npx nx run-many -t build there)`,
      checkout,
    );
  }
  return dist;
}

/** The package `name` of the baseline checkout, typed as this checkout's (`typeof import('@tributary/<name>')`). */
export async function importBaseline<T>(checkout: string, name: string): Promise<T> {
  return (await import(pathToFileURL(join(baselineDist(checkout, name), 'index.js')).href)) as T;
}
