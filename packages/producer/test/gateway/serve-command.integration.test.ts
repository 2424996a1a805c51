import { describe, expect, inject, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { deleteTopic, uniqueName } from '../helpers/kafka-test-utils.js';

const brokers = inject('kafkaBrokers');

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let signal: () => void = () => undefined;
  const cli: CliIo = {
    stdout: (l) => void out.push(l),
    stderr: (l) => void err.push(l),
    env,
    onSignal: (handler) => (signal = handler),
  };
  return { cli, out, err, stop: () => signal() };
}

describe('tributary-produce serve', () => {
  it('rejects a bad --log-level with exit 2 naming the flag, before listening', async () => {
    const x = io();
    expect(await main(['serve', '--log-level', 'loud', '--port', '0'], x.cli)).toBe(2);
    expect(x.err.join('\n')).toMatch(/--log-level must be one of fatal, error, warn, info, debug/);
    const y = io({ TRIBUTARY_LOG_LEVEL: 'chatty' });
    expect(await main(['serve', '--port', '0'], y.cli)).toBe(2);
    expect(y.err.join('\n')).toMatch(/TRIBUTARY_LOG_LEVEL must be one of/);
  });

  it('logs JSON lines at --log-level, serves health and metrics, and stops on the signal', async () => {
    const topic = uniqueName('prod-it-serve');
    const x = io();
    const exited = main(
      [
        'serve',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--brokers',
        brokers.join(','),
        '--topic',
        topic,
        '--log-level',
        'debug',
      ],
      x.cli,
    );
    try {
      const lines = () => x.err.map((l) => JSON.parse(l) as Record<string, unknown>);
      const until = Date.now() + 60_000;
      while (!lines().some((l) => l['msg'] === 'connected to Kafka') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 100));
      const listening = lines().find((l) => l['msg'] === 'listening');
      expect(listening, x.err.join('\n')).toMatchObject({
        level: 'info',
        name: 'tributary-produce-serve',
        topic,
      });
      const url = `http://127.0.0.1:${String(listening?.['port'])}`;
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('tributary_gateway_requests_total{status="200"} 2');
      expect(metrics).toMatch(/process_resident_memory_bytes \d+/);
      expect(
        lines().filter((l) => l['msg'] === 'request' && l['level'] === 'debug').length,
      ).toBeGreaterThanOrEqual(2);
    } finally {
      x.stop();
    }
    expect(await exited).toBe(0);
    expect(x.err.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain('closed');
    await deleteTopic(brokers, topic);
  });
});
