import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A Markdown table, as the package READMEs show it; `right` marks the columns of numbers. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly boolean[] = header.map((_, i) => i > 0),
): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(header.map((_, i) => (right[i] === true ? '---:' : '---'))),
    ...rows.map(line),
  ].join('\n');
}

/** A ratio as the READMEs print it: `0.72×`; `–` when not measured. */
export function times(ratio: number | undefined): string {
  return ratio === undefined || !Number.isFinite(ratio) ? '–' : `${ratio.toFixed(2)}×`;
}

/** Events per second: `1.40 M/s`, `607 k/s`; `–` when not measured. */
export function perSecond(n: number | undefined): string {
  if (n === undefined) return '–';
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(0)} k/s`;
}

/** Writes the results JSON (directories created). */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}
