import { describe, expect, it } from 'vitest';
import { RUN_OPTIONS } from '../../src/cli/run-options.js';
import { devstackServices } from '../../src/run/run-bench.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  RUN_OPTIONS.parseCommandLine(argv, { env }).values;

describe('bench run against a Kafka cluster of its own', () => {
  it("starts the devstack's Kafka only when no --brokers are given", () => {
    expect(devstackServices(RUN_OPTIONS.resolve())).toEqual(['kafka', 'elasticsearch']);
    const secured = parse([
      '--brokers',
      'kafka-1.example:9093,kafka-2.example:9093',
      '--kafka-ca-file',
      '/etc/ca.pem',
      '--kafka-sasl-mechanism',
      'scram-sha-512',
    ]);
    expect(secured).toMatchObject({
      brokers: ['kafka-1.example:9093', 'kafka-2.example:9093'],
      kafkaCaFile: '/etc/ca.pem',
      kafkaSaslMechanism: 'scram-sha-512',
    });
    expect(devstackServices(RUN_OPTIONS.resolve(secured))).toEqual(['elasticsearch']);
  });

  it('takes the brokers from TRIBUTARY_BENCH_BROKERS and names the flag of a bad one', () => {
    expect(parse([], { TRIBUTARY_BENCH_BROKERS: '127.0.0.1:9093' }).brokers).toEqual(['127.0.0.1:9093']);
    expect(() => parse(['--brokers', 'kafka-1.example'])).toThrow(
      '--brokers.0 must be host:port (got "kafka-1.example")',
    );
    expect(RUN_OPTIONS.help({ usage: 'bench' })).toMatch(
      /--brokers <host:port,...> .*\[TRIBUTARY_BENCH_BROKERS, default the devstack's\]/,
    );
  });
});
