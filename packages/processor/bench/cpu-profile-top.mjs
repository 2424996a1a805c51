#!/usr/bin/env node
/**
 * Self time by function of a V8 `.cpuprofile` (from `node --cpu-prof`, e.g. the bench's `--cpu-prof`), as a share
 * of all samples: `node bench/cpu-profile-top.mjs <file.cpuprofile> [--top 30]`.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = 'Usage: node bench/cpu-profile-top.mjs <file.cpuprofile> [--top <n>] [--help]';
let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '30' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const top = Number(parsed.values.top);
if (parsed.positionals.length !== 1 || !Number.isSafeInteger(top) || top < 1) {
  console.error(`exactly one profile file and --top ≥ 1 are required\n${USAGE}`);
  process.exit(2);
}
let profile;
try {
  profile = JSON.parse(readFileSync(parsed.positionals[0], 'utf8'));
} catch (error) {
  console.error(`cannot read ${parsed.positionals[0]}: ${error.message}`);
  process.exit(2);
}
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const hits = new Map();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const self = new Map();
for (const [id, n] of hits) {
  const f = byId.get(id).callFrame;
  const name =
    `${f.functionName || '(anonymous)'} ${f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : ''}`.trim();
  self.set(name, (self.get(name) ?? 0) + n);
}
const total = profile.samples.length;
const idle = self.get('(idle)') ?? 0;
console.log(`${total} samples, ${((idle / total) * 100).toFixed(1)}% idle; self time, share of all samples:`);
for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${((n / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
