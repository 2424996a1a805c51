import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { main, type CliIo, type ExitCode } from '../../src/cli/main.js';
import type { ResolvedRunOptions } from '../../src/cli/run-options.js';
import { BENCH_ERROR_CODES, BenchError } from '../../src/errors.js';
import type { BenchResults } from '../../src/report/results.js';
import { loadFixture } from '../report/load-fixture.js';
import { runBench } from '../../src/run/run-bench.js';
import { benchKafkaSecurity } from '../../src/scenarios/scenario-run.js';

const FIXTURE = new URL('../fixtures/results-table.json', import.meta.url).pathname;

/** In-memory files and captured output; `run` records the options it received. */
function fakeIo(files: Record<string, string> = {}, runExit: ExitCode = 0) {
  const out: string[] = [];
  const err: string[] = [];
  const written: Record<string, string> = {};
  const runs: ResolvedRunOptions[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: async (p) => {
      const text = files[p];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${p}'`);
      return text;
    },
    writeFile: async (p, d) => {
      written[p] = d;
    },
    mkdir: async () => {},
    env: {},
    run: async (options) => {
      runs.push(options);
      return runExit;
    },
  };
  return { io, out: () => out.join(''), err: () => err.join(''), written, runs };
}

function slower(base: BenchResults, factor: number): string {
  return JSON.stringify({
    ...base,
    aggregate: {
      ...base.aggregate,
      components: base.aggregate.components.map((r) =>
        r.latencyMs === null
          ? r
          : {
              ...r,
              latencyMs: {
                ...r.latencyMs,
                p99: {
                  min: r.latencyMs.p99.min * factor,
                  median: r.latencyMs.p99.median * factor,
                  max: r.latencyMs.p99.max * factor,
                },
              },
            },
      ),
    },
  });
}

describe('bench CLI', () => {
  const fixtureText = readFileSync(FIXTURE, 'utf8');

  it('prints help with every command and flag, exit 0', async () => {
    const t = fakeIo();
    expect(await main(['--help'], t.io)).toBe(0);
    for (const word of [
      'compare',
      '--duration',
      '--rate',
      '--partitions',
      '--runs',
      '--scenarios',
      '--out',
      '--no-html',
      '--threshold',
    ]) {
      expect(t.out()).toContain(word);
    }
    expect(t.out()).toContain('[TRIBUTARY_BENCH_DURATION, default 30s]');
    expect(t.runs).toEqual([]);
  });

  it('prints each command’s own help', async () => {
    const compare = fakeIo();
    expect(await main(['compare', '--help'], compare.io)).toBe(0);
    expect(compare.out()).toMatch(/^Usage: bench compare <base.json> <new.json>/);
    expect(compare.out()).toMatch(
      /--threshold <p> +allowed worsening.*\[TRIBUTARY_BENCH_THRESHOLD_PERCENT, default 10\]/,
    );
    const report = fakeIo();
    expect(await main(['report', '-h'], report.io)).toBe(0);
    expect(report.out()).toMatch(/--html <file> +also write its HTML report/);
  });

  it('reads TRIBUTARY_BENCH_* variables under the flags', async () => {
    const t = fakeIo();
    t.io = { ...t.io, env: { TRIBUTARY_BENCH_RUNS: '1', TRIBUTARY_BENCH_RATE_PER_SEC: '2k' } };
    expect(await main(['--runs', '2'], t.io)).toBe(0);
    expect(t.runs[0]).toMatchObject({ runs: 2, ratePerSec: 2_000 });
  });

  it('maps run flags onto the run options (run is the default command)', async () => {
    const t = fakeIo();
    expect(
      await main(
        [
          '--duration',
          '30s',
          '--rate',
          '20k',
          '--partitions',
          '8',
          '--runs',
          '5',
          '--scenarios',
          'table,queries',
          '--out',
          'x/',
          '--no-html',
          '--no-raw-events',
        ],
        t.io,
      ),
    ).toBe(0);
    expect(t.runs).toEqual([
      {
        durationMs: 30_000,
        warmupMs: 5_000,
        ratePerSec: 20_000,
        partitions: 8,
        runs: 5,
        scenarios: ['table', 'queries'],
        loadDurationMs: 5_000,
        peerRecords: 50_000,
        maxBudgetMs: 60_000,
        startRate: 5_000,
        stepFactor: 2,
        stepMs: 6_000,
        outDir: 'x/',
        html: false,
        rawEvents: false,
        lowLatency: false,
        processorCommitIntervalMs: 200,
        kafkaStreamsCommitIntervalMs: 100,
        flinkCheckpointIntervalMs: 1_000,
        peerParallelism: 1,
        peerHeap: '1g',
        javaCommand: 'java',
        mavenCommand: 'mvn',
        kafkaTls: false,
      },
    ]);
    const explicit = fakeIo();
    await main(['run'], explicit.io);
    expect(explicit.runs[0]?.scenarios).toEqual(['table', 'gateway', 'queries', 'peers', 'max-throughput']);
    expect(explicit.runs[0]?.rawEvents).toBe(true);
  });

  it('maps the scenario flags onto the run options', async () => {
    const t = fakeIo();
    const argv = [
      '--load-duration',
      '3s',
      '--peer-records',
      '20k',
      '--max-budget',
      '2m',
      '--start-rate',
      '8k',
    ];
    await main([...argv, '--step-factor', '2', '--step-duration', '4s'], t.io);
    expect(t.runs[0]).toMatchObject({
      loadDurationMs: 3_000,
      peerRecords: 20_000,
      maxBudgetMs: 120_000,
      startRate: 8_000,
      stepFactor: 2,
      stepMs: 4_000,
    });
    const bad = fakeIo();
    expect(await main(['--step-factor', 'x'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/^bench: --step-factor must be a number \(got "x"\)/);
    const slow = fakeIo();
    expect(await main(['--step-factor', '1'], slow.io)).toBe(2);
    expect(slow.err()).toMatch(/^bench: --step-factor must be > 1 \(got "1"\)/);
    const budget = fakeIo();
    expect(await main(['--max-budget', '2s'], budget.io)).toBe(2);
    expect(budget.err()).toMatch(/^bench: --max-budget must be at least one step \(6s\)/);
  });

  it.each([
    [['--rate', 'fast'], '--rate must be a rate like 5000, 20k or 1M (events per second) (got "fast")'],
    [['--partitions', '2000'], '--partitions must be <= 1024 (got "2000")'],
    [['--duration', '5ms'], '--duration must be at least 1s (got "5ms")'],
    [
      ['--scenarios', 'table,warp'],
      '--scenarios.1 must be one of table, max-throughput, gateway, queries, peers',
    ],
    [['--bogus'], '--bogus is not an option of bench run (see --help)'],
    [['compare', 'a.json', 'b.json', '--html', 'x'], '--html is not an option of bench compare'],
    [['run', 'extra'], 'bench run takes no arguments'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['compare', 'only-one.json'], 'bench compare needs exactly two files'],
  ])('rejects %j with exit 2 and a message naming the problem', async (argv, message) => {
    const t = fakeIo();
    expect(await main(argv, t.io)).toBe(2);
    expect(t.err()).toContain(message);
    expect(t.err()).toContain('bench --help');
    expect(t.runs).toEqual([]);
  });

  it('compare exits 0 without regression and 1 beyond the threshold', async () => {
    const base = loadFixture();
    const t = fakeIo({ 'base.json': fixtureText, 'same.json': fixtureText, 'slow.json': slower(base, 1.15) });
    expect(await main(['compare', 'base.json', 'same.json'], t.io)).toBe(0);
    expect(t.out()).toContain('No regression beyond 10%.');

    const slow = fakeIo({ 'base.json': fixtureText, 'slow.json': slower(base, 1.15) });
    expect(await main(['compare', 'base.json', 'slow.json'], slow.io)).toBe(1);
    expect(slow.out()).toMatch(/End-to-end p99\s+lower\s+1271\s+1461\s+1\.150×\s+REGRESSION/);

    const lenient = fakeIo({ 'base.json': fixtureText, 'slow.json': slower(base, 1.15) });
    expect(await main(['compare', 'base.json', 'slow.json', '--threshold', '20%'], lenient.io)).toBe(0);
  });

  it('compare exits 2 on unreadable, non-JSON or invalid files and on a bad threshold', async () => {
    const files = { 'base.json': fixtureText, 'bad.json': '{nope', 'old.json': '{"schemaVersion":0}' };
    for (const [argv, message] of [
      [['compare', 'base.json', 'missing.json'], 'cannot read missing.json'],
      [['compare', 'base.json', 'bad.json'], 'bad.json is not JSON'],
      [['compare', 'base.json', 'old.json'], 'old.json: results schemaVersion must be 1'],
      [['compare', 'base.json', 'base.json', '--threshold', 'lots'], '--threshold must be a percentage'],
      [['compare', 'base.json', 'base.json', '--threshold=-1'], '--threshold must be >= 0 (got "-1")'],
    ] as const) {
      const t = fakeIo(files);
      expect(await main([...argv], t.io)).toBe(2);
      expect(t.err()).toContain(message);
    }
  });

  it('report prints the table and writes the HTML report', async () => {
    const t = fakeIo({ 'r.json': fixtureText });
    expect(await main(['report', 'r.json', '--html', 'r.html'], t.io)).toBe(0);
    expect(t.out()).toContain('Correctness: produced 900,000');
    expect(t.written['r.html']).toContain('<svg');
  });

  it('reports a failed run with its code and exit 1', async () => {
    const t = fakeIo();
    t.io = {
      ...t.io,
      run: async () => {
        throw new BenchError(BENCH_ERROR_CODES.NOT_WIRED, 'bench run is not yet wired');
      },
    } as CliIo;
    expect(await main([], t.io)).toBe(1);
    expect(t.err()).toBe('bench: TRIB_BENCH_NOT_WIRED: bench run is not yet wired\n');
  });
});

describe('bench run: Kafka TLS and SASL', () => {
  const secrets = {
    TRIBUTARY_KAFKA_SASL_PASSWORD: 'sasl-pw-5e8c21',
    TRIBUTARY_KAFKA_KEY_PASSWORD: 'key-pw-d3a9f6',
  };
  const leaked = /sasl-pw-5e8c21|key-pw-d3a9f6/;

  it('reads the TRIBUTARY_KAFKA_* variables of every component, and lists no password in --help', async () => {
    const help = fakeIo();
    Object.assign(help.io, { env: secrets });
    expect(await main(['run', '--help'], help.io)).toBe(0);
    expect(help.out()).toMatch(/--kafka-ca-file <file>.*\[TRIBUTARY_KAFKA_CA_FILE\]/);
    expect(help.out()).not.toMatch(
      /TRIBUTARY_BENCH_KAFKA_(?!STREAMS_COMMIT_INTERVAL)|sasl-pw-5e8c21|key-pw-d3a9f6/,
    );
    const run = fakeIo();
    Object.assign(run.io, { env: { ...secrets, TRIBUTARY_KAFKA_SASL_MECHANISM: 'plain' } });
    expect(await main(['run', '--kafka-sasl-username', 'alice'], run.io)).toBe(0);
    const security = await benchKafkaSecurity(run.runs[0]!);
    expect(security.client.sasl).toEqual({
      mechanism: 'plain',
      username: 'alice',
      password: 'sasl-pw-5e8c21',
    });
    expect(security.env).toMatchObject({
      TRIBUTARY_KAFKA_SASL_MECHANISM: 'plain',
      TRIBUTARY_KAFKA_SASL_USERNAME: 'alice',
      TRIBUTARY_KAFKA_SASL_PASSWORD: 'sasl-pw-5e8c21',
    });
    expect(Object.keys(security.options)).not.toContain('runs');
  });

  it('exits 2 naming the option before anything starts, never showing a password', async () => {
    for (const [argv, message] of [
      [['run', '--kafka-sasl-mechanism', 'scram-sha-256'], /--kafka-sasl-username is needed/],
      [['run', '--kafka-cert-file', '/nonexistent/c.pem'], /--kafka-key-file is needed/],
      [['run', '--kafka-sasl-password', 'sasl-pw-5e8c21'], /--kafka-sasl-password is not an option/],
    ] as const) {
      const x = fakeIo();
      Object.assign(x.io, { env: secrets, run: runBench });
      expect(await main(argv, x.io)).toBe(2);
      expect(x.err()).toMatch(message);
      expect(x.err().replace('--kafka-sasl-password sasl-pw-5e8c21', '')).not.toMatch(leaked);
    }
  });
});
