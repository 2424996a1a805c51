import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BENCH_ERROR_CODES, BenchError, InvalidOptionError } from '../errors.js';
import { count } from './common-options.js';
import { defineSuite } from './suite.js';

/** The parts of a V8 `.cpuprofile` (from `node --cpu-prof`) that self time needs. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly samples: readonly number[];
}

/** Self time by function (`name file:line`), as a share of all samples, largest first: the top `top` lines. */
export function renderSelfTime(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  for (const id of profile.samples) {
    const f = byId.get(id);
    if (f === undefined) continue;
    const where = f.url === '' ? '' : ` ${basename(f.url)}:${f.lineNumber + 1}`;
    const name = `${f.functionName === '' ? '(anonymous)' : f.functionName}${where}`;
    self.set(name, (self.get(name) ?? 0) + 1);
  }
  const total = profile.samples.length;
  const share = (n: number): string => ((n / Math.max(total, 1)) * 100).toFixed(1);
  return [
    `${total} samples, ${share(self.get('(idle)') ?? 0)}% idle; self time, share of all samples:`,
    ...[...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, n]) => `${share(n).padStart(5)}%  ${name}`),
  ].join('\n');
}

/** Reads a `.cpuprofile` file. */
export async function readCpuProfile(path: string): Promise<CpuProfile> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  } catch (error) {
    throw new BenchError(BENCH_ERROR_CODES.IO, `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export const cpuProfileSuite = defineSuite({
  name: 'cpu-profile',
  summary: 'Not a benchmark: self time by function of V8 .cpuprofile files (node --cpu-prof)',
  needs: 'nothing',
  positionals: '<file.cpuprofile>...',
  description:
    "Prints each profile's functions by self time, as a share of all samples. processor-vs-kafkajs --cpu-prof\n" +
    'writes profiles of the processor children and prints this for each.',
  options: { top: count(30, 'functions listed per profile') },
  async run(o, context) {
    if (context.positionals.length === 0)
      throw new InvalidOptionError('cpu-profile', 'needs at least one .cpuprofile file');
    for (const path of context.positionals)
      context.print(`${path}\n${renderSelfTime(await readCpuProfile(path), o.top)}\n`);
  },
});
