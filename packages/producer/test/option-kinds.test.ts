import { defineOptions, z } from '@tributary/options';
import { describe, expect, it } from 'vitest';
import { optionError } from '../src/errors.js';
import { durationOption, flagged, sizeOption } from '../src/option-kinds.js';

const options = defineOptions(
  {
    durationMs: durationOption(z.int().min(1).default(30_000), 'run length', flagged('duration')),
    lingerMs: durationOption(z.number().min(0).default(5), 'linger'),
    retentionMs: durationOption(z.int().min(-1).optional(), 'retention', flagged('retention')),
    maxBodyBytes: sizeOption(
      z
        .int()
        .min(1)
        .default(1024 * 1024),
      'largest body',
      flagged('max-body'),
    ),
  },
  { component: 'test', invalid: optionError },
);
const flags = (...argv: string[]) => options.parseCommandLine(argv, { env: {} }).values;

describe('durationOption and sizeOption', () => {
  it('take numbers, and text with a unit from flags, variables and config files', () => {
    expect(flags('--duration', '30s').durationMs).toBe(30_000);
    expect(flags('--duration', '1.5s').durationMs).toBe(1500);
    expect(flags('--linger-ms', '500ms').lingerMs).toBe(500);
    expect(flags('--retention', '7d').retentionMs).toBe(604_800_000);
    expect(flags('--retention=-1').retentionMs).toBe(-1);
    expect(flags('--max-body', '512kb').maxBodyBytes).toBe(524_288);
    expect(flags('--max-body', '1MB').maxBodyBytes).toBe(1_048_576);
    expect(options.resolve({ durationMs: '10m', maxBodyBytes: 100 })).toMatchObject({
      durationMs: 600_000,
      maxBodyBytes: 100,
    });
  });

  it('keep the schema’s default, optionality and bounds', () => {
    expect(options.resolve()).toEqual({ durationMs: 30_000, lingerMs: 5, maxBodyBytes: 1_048_576 });
    expect(() => flags('--duration', 'soon')).toThrow(
      /^--duration must be a duration like 500ms, 30s, 5m, 1h, 7d or a number of ms \(got "soon"\)$/,
    );
    expect(() => flags('--max-body', '1 parsec')).toThrow(/^--max-body must be a size like 512kb/);
    expect(() => flags('--duration', '0s')).toThrow(/^--duration must be >= 1 \(got "0s"\)$/);
    expect(() => options.resolve({ durationMs: 1.5 })).toThrow(/^durationMs must be an integer \(got 1.5\)$/);
  });

  it('name the variable after the flag and show defaults with a unit in --help', () => {
    expect(options.envName('durationMs')).toBe('TRIBUTARY_DURATION');
    expect(options.envName('maxBodyBytes')).toBe('TRIBUTARY_MAX_BODY');
    expect(flags()).toMatchObject({ durationMs: 30_000 });
    expect(options.parseCommandLine([], { env: { TRIBUTARY_DURATION: '2m' } }).values.durationMs).toBe(
      120_000,
    );
    const help = options.help({ usage: 'test' });
    expect(help).toMatch(/--duration <duration> +run length \[TRIBUTARY_DURATION, default 30s\]/);
    expect(help).toMatch(/--max-body <bytes> +largest body \[TRIBUTARY_MAX_BODY, default 1mb\]/);
    expect(help).toMatch(/--retention <duration> +retention \[TRIBUTARY_RETENTION\]/);
  });
});
