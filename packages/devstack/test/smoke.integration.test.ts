import { afterAll, describe, expect, inject, it } from 'vitest';
import { runSmoke } from '../src/index.js';
import { devstackStatus } from '../src/status.js';

function portOf(address: string): number {
  return Number(address.split(':').at(-1));
}

describe('smoke', () => {
  const kafkaPort = portOf(inject('kafkaBrokers')[0]!);
  const esPort = portOf(new URL(inject('elasticsearchUrl')).host);

  afterAll(async () => {
    // The shared stack must still be there.
    const status = await devstackStatus({ kafkaPort, esPort });
    expect(status.kafka?.healthy && status.elasticsearch?.healthy).toBe(true);
  });

  it('pushes events through the running stack and every count matches', async () => {
    const lines: string[] = [];
    const report = await runSmoke({ kafkaPort, esPort, events: 500, log: (l) => lines.push(l) });
    expect(report.mismatches).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.consume.received).toBe(500);
    expect(report.index.indexed).toBe(500);
    expect(report.search.count).toBe(500);
    expect(report.aggregation.actual).toEqual({ click: 167, view: 167, purchase: 166 });
    expect(report.startup.kafka.reused).toBe(true);
    expect(lines.some((l) => l.startsWith('[smoke] produced 500 events'))).toBe(true);
  });

  it('rejects bad smoke options naming them', async () => {
    await expect(runSmoke({ kafkaPort, esPort, events: 0 })).rejects.toThrow('events must be >= 1 (got 0)');
  });
});
