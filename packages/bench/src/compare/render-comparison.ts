import type { Comparison } from './compare.js';

function number(n: number): string {
  if (n === 0) return '0';
  return Math.abs(n) >= 1000 ? Math.round(n).toString() : Number(n.toPrecision(4)).toString();
}

/** The comparison as a plain-text table, one line per figure, regressions marked, then correctness and warnings. */
export function renderComparison(c: Comparison): string {
  const rows: string[][] = [['Figure', 'Better', 'Base', 'New', 'New/Base', 'Verdict']];
  for (const f of c.figures) {
    rows.push([
      f.figure,
      f.direction === 'higher-is-better' ? 'higher' : 'lower',
      number(f.base),
      number(f.candidate),
      f.ratio === null ? 'n/a' : `${f.ratio.toFixed(3)}×`,
      f.regression
        ? `REGRESSION (${f.worsePercent!.toFixed(1)}% worse)`
        : f.worsePercent === null
          ? 'not comparable (base 0)'
          : Math.abs(f.worsePercent) < 0.05
            ? 'ok (same)'
            : f.worsePercent > 0
              ? `ok (${f.worsePercent.toFixed(1)}% worse)`
              : `ok (${(-f.worsePercent).toFixed(1)}% better)`,
    ]);
  }
  for (const k of c.correctness) {
    rows.push([
      k.figure,
      'lower',
      String(k.base),
      String(k.candidate),
      '',
      k.regression ? 'REGRESSION' : 'ok',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    r
      .map((cell, i) => (i === 0 || i === 1 || i === 5 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), ''];
  for (const u of c.unmatched) out.push(`not compared (measured in one file only): ${u}`);
  for (const w of c.warnings) out.push(`warning: ${w}`);
  out.push(
    c.regressions === 0
      ? `No regression beyond ${c.thresholdPercent}%.`
      : `${c.regressions} regression(s) beyond ${c.thresholdPercent}% (lost/duplicated: any increase).`,
  );
  return out.join('\n');
}
