import { describe, expect, it } from 'vitest';
import { BYTE_UNITS, DURATION_UNITS, defineOptions, option, unitText, withUnits, z } from '../src/index.js';

const duration = withUnits(DURATION_UNITS, 'a duration like 500ms, 30s or 5m');
const bytes = withUnits(BYTE_UNITS, 'a size like 512kb or 1mb');
const seconds = withUnits(DURATION_UNITS, 'a duration', 1000);

describe('withUnits', () => {
  it('reads text with a unit, a bare number in the base unit, and numbers as they are', () => {
    const schema = duration(z.int().min(1));
    expect(schema.parse('30s')).toBe(30_000);
    expect(schema.parse('1.5m')).toBe(90_000);
    expect(schema.parse('250')).toBe(250);
    expect(schema.parse(42)).toBe(42);
    expect(bytes(z.int()).parse('1MB')).toBe(1024 ** 2);
    expect(seconds(z.int()).parse('20')).toBe(20_000);
  });

  it('keeps the inner default and checks', () => {
    const schema = duration(z.int().min(1000).default(30_000));
    expect(schema.parse(undefined)).toBe(30_000);
    expect(schema.safeParse('500ms').success).toBe(false);
    expect(schema.safeParse('soon').error?.issues[0]?.message).toBe(
      'must be a duration like 500ms, 30s or 5m',
    );
  });

  it('names the option and the text through an option set', () => {
    const set = defineOptions(
      { timeout: option(duration(z.int().min(1).default(30_000)), 'timeout') },
      { component: 'test', invalid: (name, message) => new Error(`${name} ${message}`) },
    );
    expect(set.parseCommandLine(['--timeout', '2m'], { env: {} }).values.timeout).toBe(120_000);
    expect(set.defaults.timeout).toBe(30_000);
    expect(() => set.parseCommandLine(['--timeout', 'x'], { env: {} })).toThrow(
      '--timeout must be a duration like 500ms, 30s or 5m (got "x")',
    );
  });

  it('unitText shows a value in its largest whole unit', () => {
    expect(unitText(30_000, DURATION_UNITS)).toBe('30s');
    expect(unitText(120_000, DURATION_UNITS)).toBe('2m');
    expect(unitText(1500, DURATION_UNITS)).toBe('1500ms');
    expect(unitText(5 * 1024 ** 2, BYTE_UNITS)).toBe('5mb');
    expect(unitText(0, DURATION_UNITS)).toBe('0');
  });
});
