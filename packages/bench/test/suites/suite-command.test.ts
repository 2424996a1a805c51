import { describe, expect, it } from 'vitest';
import { isBenchError } from '../../src/errors.js';
import { SUITES, suiteCommand } from '../../src/suites/suite-command.js';
import { main, type CliIo } from '../../src/cli/main.js';

function output() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

async function rejection(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('bench suite', () => {
  it('lists every suite with what it needs', async () => {
    const o = output();
    expect(await suiteCommand(['--help'], o.io)).toBe(0);
    for (const s of SUITES) expect(o.out()).toMatch(new RegExp(`  ${s.name} +.*\\(needs ${s.needs}\\)`));
    const none = output();
    await suiteCommand([], none.io);
    expect(none.out()).toBe(o.out());
  });

  it("prints each suite's own options", async () => {
    for (const s of SUITES) {
      const o = output();
      expect(await suiteCommand([s.name, '--help'], o.io, {})).toBe(0);
      expect(o.out()).toContain(`Usage: bench suite ${s.name}`);
      expect(o.out()).toContain(`Needs: ${s.needs}.`);
    }
  });

  it('names the suite, the flag or the variable that is wrong', async () => {
    const unknown = await rejection(() => suiteCommand(['nope'], output().io));
    expect(isBenchError(unknown, 'TRIB_BENCH_INVALID_OPTION')).toBe(true);
    expect(unknown.message).toMatch(/^suite must be one of schema-codec, .* \(got "nope"\)$/);
    const flag = await rejection(() => suiteCommand(['schema-codec', '--rounds', '0'], output().io, {}));
    expect(flag.message).toBe('--rounds must be >= 1 (got "0")');
    const env = await rejection(() =>
      suiteCommand(['schema-codec'], output().io, { TRIBUTARY_BENCH_SCHEMA_CODEC_WORKLOAD: 'half' }),
    );
    expect(env.message).toBe('TRIBUTARY_BENCH_SCHEMA_CODEC_WORKLOAD must be one of full, seed (got "half")');
    const extra = await rejection(() => suiteCommand(['processor-partials', 'x'], output().io, {}));
    expect(extra.message).toBe('processor-partials takes no arguments (got "x")');
  });

  it('is dispatched by the bench CLI before its own --help, bad usage exiting 2', async () => {
    const o = output();
    const io = { ...o.io, env: {} } as unknown as CliIo;
    expect(await main(['suite', 'cpu-profile', '--help'], io)).toBe(0);
    expect(o.out()).toContain('Usage: bench suite cpu-profile <file.cpuprofile>...');
    expect(await main(['suite', 'cpu-profile'], io)).toBe(2);
    expect(o.err()).toContain('cpu-profile needs at least one .cpuprofile file');
  });
});
