import { readFileSync } from 'node:fs';

/**
 * The metric names a README's metrics section documents: every `code` span in the first cell of a table row of
 * the section whose heading is `heading` (down to the next heading of the same or a higher level, code fences
 * skipped). `nodejs_*`-style entries are prefixes; `…_p99_seconds`-style shorthands are left out.
 */
export function readmeMetricNames(readmePath: string, heading: string): string[] {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const start = lines.findIndex((l) => /^#+ /.test(l) && l.replace(/^#+ /, '').trim() === heading);
  if (start < 0) throw new Error(`${readmePath} has no "${heading}" heading`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  const names: string[] = [];
  let fenced = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    const h = /^(#+) /.exec(line);
    if (h !== null && h[1]!.length <= level) break;
    if (!line.startsWith('|')) continue;
    const firstCell = line.split('|')[1] ?? '';
    for (const m of firstCell.matchAll(/`([^`]+)`/g)) {
      if (/^[a-z_][a-z0-9_]*\*?$/.test(m[1]!)) names.push(m[1]!);
    }
  }
  return names;
}

/** Whether a documented entry (`name` or `prefix_*`) matches a registered name. */
export function documents(entry: string, name: string): boolean {
  return entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : entry === name;
}
