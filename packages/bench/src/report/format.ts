import type { Spread } from './results.js';

/** Milliseconds with 3 significant digits and a unit that fits: 0.412 ms, 87.0 ms, 1.30 s, 2.1 min. */
export function formatMs(ms: number): string {
  if (ms >= 120_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (ms === 0) return '0 ms';
  return `${ms.toPrecision(3)} ms`;
}

/** Counts and rates with thousands separators: 1 234 567 (narrow no-break spaces avoided for plain terminals). */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Rates: 220k/s style, 3 significant digits. */
export function formatRate(perSec: number): string {
  if (perSec >= 1e6) return `${(perSec / 1e6).toPrecision(3)}M/s`;
  if (perSec >= 1e4) return `${(perSec / 1e3).toPrecision(3)}k/s`;
  return `${formatCount(perSec)}/s`;
}

export function formatPercent(p: number): string {
  return `${p.toFixed(p >= 100 ? 0 : 1)}%`;
}

export function formatMB(mb: number): string {
  return `${mb.toFixed(mb >= 100 ? 0 : 1)} MB`;
}

function splitUnit(text: string): [string, string] {
  const match = /^(-?[\d.,]+)(.*)$/.exec(text);
  return match ? [match[1]!, match[2]!] : [text, ''];
}

/**
 * A spread as `median (min–max)`, the unit written once when all three share it (`3.41 ms (3.22–3.61)`), or just
 * the value when all runs agree or there was one run.
 */
export function formatSpread(s: Spread | null, format: (v: number) => string): string {
  if (s === null) return '–';
  const mid = format(s.median);
  if (s.min === s.max) return mid;
  const [lo, hi] = [format(s.min), format(s.max)];
  const unit = splitUnit(mid)[1];
  if (splitUnit(lo)[1] === unit && splitUnit(hi)[1] === unit) {
    return `${mid} (${splitUnit(lo)[0]}–${splitUnit(hi)[0]})`;
  }
  return `${mid} (${lo}–${hi})`;
}
