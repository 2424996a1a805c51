import { describe, expect, it } from 'vitest';
import { latencyPeers, RUN_OPTIONS, scenariosToRun } from '../../src/cli/run-options.js';

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
  it('is off by default; --peers adds it to the run with those peers', () => {
    expect(RUN_OPTIONS.defaults.scenarios).not.toContain('peers-latency');
    expect(RUN_OPTIONS.defaults.peers).toBeUndefined();
    expect(scenariosToRun(RUN_OPTIONS.resolve())).toEqual(RUN_OPTIONS.resolve().scenarios);

    const both = parse(['--peers', 'flink,kafka-streams']);
    expect(both.peers).toEqual(['flink', 'kafka-streams']);
    expect(scenariosToRun(both)).toEqual([
      'table',
      'gateway',
      'queries',
      'peers',
      'max-throughput',
      'peers-latency',
    ]);
    expect(latencyPeers(both)).toEqual(['flink', 'kafka-streams']);

    const withTable = parse(['--scenarios', 'table', '--peers', 'kafka-streams']);
    expect(scenariosToRun(withTable)).toEqual(['table', 'peers-latency']);
    expect(latencyPeers(withTable)).toEqual(['kafka-streams']);

    // Named in --scenarios: where it is, once, with the peers given or all of them.
    const named = parse(['--scenarios', 'peers-latency,table', '--peers', 'flink']);
    expect(scenariosToRun(named)).toEqual(['peers-latency', 'table']);
    expect(latencyPeers(parse(['--scenarios', 'peers-latency']))).toEqual(['kafka-streams', 'flink']);

    expect(parse([], { TRIBUTARY_BENCH_PEERS: 'flink' }).peers).toEqual(['flink']);
  });

  it('reads the peers’ settings', () => {
    expect(RUN_OPTIONS.defaults).toMatchObject({
      processorCommitIntervalMs: 200,
      kafkaStreamsCommitIntervalMs: 100,
      flinkCheckpointIntervalMs: 1_000,
      peerParallelism: 1,
      peerHeap: '1g',
      javaCommand: 'java',
      mavenCommand: 'mvn',
    });
    expect(
      parse([
        '--peers',
        'flink',
        '--processor-commit-interval',
        '100ms',
        '--kafka-streams-commit-interval',
        '50ms',
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
      peers: ['flink'],
      processorCommitIntervalMs: 100,
      kafkaStreamsCommitIntervalMs: 50,
      flinkCheckpointIntervalMs: 500,
      peerParallelism: 2,
      peerHeap: '512m',
      javaCommand: '/opt/jdk/bin/java',
      mavenCommand: '/opt/maven/bin/mvn',
    });
    expect(
      parse([], { TRIBUTARY_BENCH_KAFKA_STREAMS_COMMIT_INTERVAL: '200ms' }).kafkaStreamsCommitIntervalMs,
    ).toBe(200);
  });

  it('names the flag of a bad peer setting', () => {
    expect(() => parse(['--peers', 'storm'])).toThrow(/^--peers/);
    expect(() => parse(['--peers', ','])).toThrow('--peers must not be empty');
    expect(() => parse(['--peers', 'flink,flink'])).toThrow('--peers must not repeat a peer');
    expect(() => parse([], { TRIBUTARY_BENCH_PEERS: 'spark' })).toThrow(/^TRIBUTARY_BENCH_PEERS/);
    expect(() => parse(['--peer-heap', '1 gig'])).toThrow(
      '--peer-heap must be a JVM heap size like 512m or 1g',
    );
    expect(() => parse(['--peer-parallelism', '0'])).toThrow('--peer-parallelism must be >= 1 (got "0")');
    expect(() => parse(['--kafka-streams-commit-interval', '1ms'])).toThrow(
      '--kafka-streams-commit-interval must be at least 10ms',
    );
    expect(() => parse(['--java', ''])).toThrow(/^--java/);
  });

  it('documents each peer flag in --help, and that --peers is not the peers scenario', () => {
    const help = RUN_OPTIONS.help({ usage: 'bench' });
    for (const flag of [
      '--peers',
      '--processor-commit-interval',
      '--kafka-streams-commit-interval',
      '--flink-checkpoint-interval',
      '--peer-parallelism',
      '--peer-heap',
      '--java',
      '--mvn',
    ])
      expect(help).toContain(flag);
    expect(help).toMatch(
      /--peers <list>[\s\S]*adds the peers-latency scenario[\s\S]*not the `peers` scenario/,
    );
    expect(help).not.toContain('--latency-peers');
  });
});
