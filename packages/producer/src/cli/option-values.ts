import { invalidOption } from '../errors.js';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** '30s', '500ms', '5m', '1h', '7d' or a plain number of milliseconds → ms. */
export function parseDuration(option: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (m === null)
    throw invalidOption(option, 'must be a duration like 500ms, 30s, 5m, 1h, 7d or a number of ms', text);
  return Math.round(Number(m[1]) * DURATION_UNITS[(m[2] ?? 'ms').toLowerCase()]!);
}

/** '1mb', '512kb', '1048576' → bytes. */
export function parseBytes(option: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)?\s*$/i.exec(text);
  const unit = BYTE_UNITS[(m?.[2] ?? 'b').toLowerCase()];
  if (m === null || unit === undefined)
    throw invalidOption(option, 'must be a size like 512kb, 1mb or a number of bytes', text);
  return Math.round(Number(m[1]) * unit);
}

export function parseNumber(option: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw invalidOption(option, 'must be a number', text);
  return n;
}

export function parseBoolean(option: string, text: string): boolean {
  const t = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(t)) return true;
  if (['false', '0', 'no', 'off'].includes(t)) return false;
  throw invalidOption(option, 'must be true or false', text);
}

export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
