import { describe, expect, it } from 'vitest';
import { RUN_OPTIONS } from '../../src/cli/run-options.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  RUN_OPTIONS.parseCommandLine(argv, { env }).values;

describe('RUN_OPTIONS', () => {
  it('fills the defaults', () => {
    expect(RUN_OPTIONS.resolve()).toEqual(RUN_OPTIONS.defaults);
    expect(RUN_OPTIONS.defaults).toMatchObject({
      durationMs: 30_000,
      warmupMs: 5_000,
      scenarios: ['table', 'gateway', 'queries', 'peers', 'max-throughput'],
      partitions: 4,
      runs: 3,
      outDir: 'bench-results',
      html: true,
      rawEvents: true,
    });
  });

  it('names the option in code, the flag on the command line, the variable in the environment', () => {
    expect(() => RUN_OPTIONS.resolve({ ratePerSec: 0 })).toThrow('ratePerSec must be > 0 (got 0)');
    expect(() => parse(['--rate', '0'])).toThrow('--rate must be > 0 (got "0")');
    expect(() => parse(['--partitions', '0'])).toThrow('--partitions must be >= 1 (got "0")');
    expect(() => parse(['--runs', '1.5'])).toThrow('--runs must be an integer (got "1.5")');
    expect(() => parse(['--duration', '10ms'])).toThrow('--duration must be at least 1s (got "10ms")');
    expect(() => parse(['--warmup', 'soon'])).toThrow(
      '--warmup must be a duration like 500ms, 60s, 2m or 1h',
    );
    expect(() => parse(['--out', ' '])).toThrow('--out must be a non-empty directory path');
    expect(() => parse(['--scenarios', ','])).toThrow('--scenarios must not be empty');
    expect(() => parse(['--scenarios', 'table,table'])).toThrow('--scenarios must not repeat a scenario');
    expect(() => parse([], { TRIBUTARY_BENCH_DURATION: '0' })).toThrow(
      'TRIBUTARY_BENCH_DURATION must be at least 1s (got "0")',
    );
    expect(() => RUN_OPTIONS.resolve({ maxBudgetMs: 2_000 })).toThrow(
      'maxBudgetMs must be at least one step (6s)',
    );
  });

  it('reads durations and rates with units from flags and variables, flags winning', () => {
    const env = { TRIBUTARY_BENCH_DURATION: '2m', TRIBUTARY_BENCH_RUNS: '1', TRIBUTARY_BENCH_HTML: 'false' };
    expect(parse(['--duration', '45s', '--peer-records', '20k'], env)).toMatchObject({
      durationMs: 45_000,
      peerRecords: 20_000,
      runs: 1,
      html: false,
    });
    expect(parse([], env).durationMs).toBe(120_000);
  });

  it('help shows each flag with its variable and default in the flag’s own units', () => {
    const text = RUN_OPTIONS.help({ usage: 'bench' });
    expect(text).toMatch(
      /--duration <d> +table, peers-latency: measured window per run.*\[TRIBUTARY_BENCH_DURATION, default 30s\]/,
    );
    expect(text).toMatch(/--rate <n> .*\[TRIBUTARY_BENCH_RATE_PER_SEC, default 10000\]/);
    expect(text).toMatch(/--no-html +write the HTML report/);
  });
});

describe('RUN_OPTIONS of peers-latency', () => {
  it('is asked for by name, with the peers and their settings', () => {
    expect(RUN_OPTIONS.defaults.scenarios).not.toContain('peers-latency');
    expect(RUN_OPTIONS.defaults).toMatchObject({
      latencyPeers: ['kafka-streams', 'flink'],
      peerCommitIntervalMs: 200,
      flinkCheckpointIntervalMs: 1_000,
      peerParallelism: 1,
      peerHeap: '1g',
      javaCommand: 'java',
      mavenCommand: 'mvn',
    });
    expect(
      parse([
        '--scenarios',
        'peers-latency',
        '--latency-peers',
        'flink',
        '--peer-commit-interval',
        '100ms',
        '--flink-checkpoint-interval',
        '500ms',
        '--peer-parallelism',
        '2',
        '--peer-heap',
        '512m',
        '--java',
        '/opt/jdk/bin/java',
        '--mvn',
        '/opt/maven/bin/mvn',
      ]),
    ).toMatchObject({
      scenarios: ['peers-latency'],
      latencyPeers: ['flink'],
      peerCommitIntervalMs: 100,
      flinkCheckpointIntervalMs: 500,
      peerParallelism: 2,
      peerHeap: '512m',
      javaCommand: '/opt/jdk/bin/java',
      mavenCommand: '/opt/maven/bin/mvn',
    });
    expect(parse([], { TRIBUTARY_BENCH_PEER_COMMIT_INTERVAL: '100ms' }).peerCommitIntervalMs).toBe(100);
  });

  it('names the flag of a bad peer setting', () => {
    expect(() => parse(['--latency-peers', 'storm'])).toThrow(/^--latency-peers/);
    expect(() => parse(['--latency-peers', 'flink,flink'])).toThrow('--latency-peers must not repeat a peer');
    expect(() => parse(['--peer-heap', '1 gig'])).toThrow(
      '--peer-heap must be a JVM heap size like 512m or 1g',
    );
    expect(() => parse(['--peer-parallelism', '0'])).toThrow('--peer-parallelism must be >= 1 (got "0")');
    expect(() => parse(['--peer-commit-interval', '1ms'])).toThrow(
      '--peer-commit-interval must be at least 10ms',
    );
    expect(() => parse(['--java', ''])).toThrow(/^--java/);
  });

  it('documents each peer flag in --help', () => {
    const help = RUN_OPTIONS.help({ usage: 'bench' });
    for (const flag of [
      '--latency-peers',
      '--peer-commit-interval',
      '--flink-checkpoint-interval',
      '--peer-parallelism',
      '--peer-heap',
      '--java',
      '--mvn',
    ])
      expect(help).toContain(flag);
  });
});
