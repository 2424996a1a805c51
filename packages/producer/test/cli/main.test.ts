import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/main.js';

function io(env: NodeJS.ProcessEnv = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => out.push(l), stderr: (l) => err.push(l), env, onSignal: () => undefined };
}

describe('tributary-produce CLI', () => {
  it('prints help for the tool and each command', async () => {
    const a = io();
    expect(await main(['--help'], a)).toBe(0);
    expect(a.out.join('\n')).toMatch(/Commands:\n\s+run\s+open-loop load generator/);
    const b = io();
    expect(await main(['run', '--help'], b)).toBe(0);
    expect(b.out.join('\n')).toMatch(
      /--late-rate <number>\s+share of events late beyond allowed lateness \[TRIBUTARY_LATE_RATE\]/,
    );
    const c = io();
    expect(await main(['serve', '--help'], c)).toBe(0);
    expect(c.out.join('\n')).toMatch(/--max-in-flight-events <number>/);
  });

  it('exits 2 with a clear message on bad input, before touching Kafka', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [[], {}, /Usage/],
      [['launch'], {}, /unknown command "launch"/],
      [['run', '--bogus'], {}, /Unknown option '--bogus'/],
      [['run', '--rate', 'abc'], {}, /TRIB_PRODUCER_INVALID_OPTION: --rate must be a number/],
      [['run', '--late-rate', '2'], {}, /lateRate must be a finite number between 0 and 1/],
      [['run'], { TRIBUTARY_COMPRESSION: 'brotli' }, /compression must be one of/],
      [['serve', '--port=70000'], {}, /port must be an integer between 0 and 65535/],
      [
        ['run', '--config', '/nonexistent/tributary.json'],
        {},
        /TRIB_PRODUCER_CONFIG_FILE: cannot read config file/,
      ],
    ];
    for (const [argv, env, message] of cases) {
      const x = io(env);
      expect(await main(argv, x)).toBe(2);
      expect([...x.err, ...x.out].join('\n')).toMatch(message);
    }
  });

  it('names the missing codec package for snappy and zstd', async () => {
    const x = io();
    expect(await main(['run', '--compression', 'zstd', '--brokers', '127.0.0.1:1', '--count', '1'], x)).toBe(
      1,
    );
    expect(x.err.join('\n')).toMatch(
      /TRIB_PRODUCER_UNSUPPORTED_COMPRESSION: compression "zstd" needs a kafkajs codec: install @kafkajs\/zstd/,
    );
  });
});
