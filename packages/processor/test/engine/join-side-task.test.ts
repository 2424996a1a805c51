import { describe, expect, it } from 'vitest';
import { decodeJoinRecord } from '../../src/engine/join-record-format.js';
import type { OutputRecord } from '../../src/task/partition-task.js';
import { Log } from './fixtures.js';
import { newSide } from './join-fixtures.js';

const records = (out: OutputRecord[]) =>
  out.map((o) => ({ ...decodeJoinRecord(o.value), destination: o.destination.kind }));

describe('JoinSideTask', () => {
  it('sends accepted events keyed by the join key, then its watermark when it changed', () => {
    const task = newSide('left', 1, 3, { outOfOrdernessMs: 1000 });
    const log = new Log('clicks', 1);
    task.process(log.event({ id: 'a', user: 'u1', ts: 5000 }));
    task.process(log.event({ id: 'a', user: 'u1', ts: 5000 })); // duplicate
    const out = task.drainOutputs();
    expect(out[0]!.key!.toString()).toBe('u1');
    expect(records(out)).toMatchObject([
      {
        type: 'event',
        side: 'left',
        upstreamPartition: 1,
        partitionCount: 3,
        joinKey: 'u1',
        eventTime: 5000,
        source: { topic: 'clicks', offset: 0 },
        destination: 'by-key',
      },
      {
        type: 'watermark',
        side: 'left',
        upstreamPartition: 1,
        partitionCount: 3,
        watermark: 4000,
        destination: 'broadcast',
      },
    ]);
    expect(task.drainOutputs()).toEqual([]); // unchanged watermark: nothing
  });

  it('decides lateness per partition: late when ts + 1 + L <= watermark', () => {
    const task = newSide('right', 0, 1, { outOfOrdernessMs: 0, allowedLatenessMs: 100 });
    const log = new Log('orders', 0);
    task.process(log.event({ ts: 10_000 }));
    task.process(log.event({ ts: 9900 })); // 9900 + 1 + 100 > 10 000: on time
    task.process(log.event({ ts: 9899 })); // late
    expect(task.drainOutputs().map((o) => o.output)).toEqual([
      'repartition',
      'repartition',
      'late',
      'repartition',
    ]);
  });

  it('restores its progress: a replayed record is skipped, the watermark goes on', () => {
    const first = newSide('left', 0, 1);
    const log = new Log('clicks', 0);
    first.process(log.event({ ts: 7000 }));
    first.drainOutputs();
    const second = newSide('left', 0, 1);
    second.restore(first.drainChangelog());
    expect(second.lastAppliedOffset()).toBe(0);
    second.process(log.records[0]!);
    expect(records(second.drainOutputs())).toMatchObject([{ type: 'watermark', watermark: 7000 }]);
  });

  it('refuses an input partition outside the topic, naming the option', () => {
    expect(() => newSide('left', 3, 3)).toThrow(/inputPartition must be below partitionCount/);
  });
});
