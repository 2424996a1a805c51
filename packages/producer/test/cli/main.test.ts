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
      /--late-rate <n>\s+share of events late beyond allowed lateness \[TRIBUTARY_LATE_RATE, default 0\]/,
    );
    const c = io();
    expect(await main(['serve', '--help'], c)).toBe(0);
    expect(c.out.join('\n')).toMatch(/--max-in-flight-events <n>/);
    expect(c.out.join('\n')).toMatch(/--log-level fatal\|error\|warn\|info/);
  });

  it('exits 2 with a clear message on bad input, before touching Kafka', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [[], {}, /Usage/],
      [['launch'], {}, /unknown command "launch"/],
      [['run', '--bogus'], {}, /--bogus is not an option of tributary-produce run \(see --help\)/],
      [['run', 'now'], {}, /now is not an argument of tributary-produce run/],
      [['run', '--rate', 'abc'], {}, /TRIB_PRODUCER_INVALID_OPTION: --rate must be a number \(got "abc"\)/],
      [['run', '--late-rate', '2'], {}, /--late-rate must be <= 1 \(got "2"\)/],
      [
        ['run', '--late-rate', '0.6', '--duplicate-rate', '0.6'],
        {},
        /--duplicate-rate makes the fault rates add up to 1.2/,
      ],
      [['run', '--duration', 'soon'], {}, /--duration must be a duration like 500ms, 30s/],
      [['run'], { TRIBUTARY_COMPRESSION: 'brotli' }, /TRIBUTARY_COMPRESSION must be one of none, gzip, lz4/],
      [['serve', '--port=70000'], {}, /--port must be <= 65535 \(got "70000"\)/],
      [['serve', '--log-level', 'loud'], {}, /--log-level must be one of fatal, error, warn, info, debug/],
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
