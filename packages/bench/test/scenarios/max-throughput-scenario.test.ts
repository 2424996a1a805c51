import type { Admin } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { inputLag } from '../../src/scenarios/max-throughput-scenario.js';

function fakeAdmin(failures: number): Admin {
  let calls = 0;
  return {
    fetchTopicOffsets: async () => [
      { partition: 0, offset: '100', high: '100', low: '0' },
      { partition: 1, offset: '50', high: '50', low: '0' },
    ],
    listGroups: async () => {
      if (calls++ < failures) throw Object.assign(new Error('The group is rebalancing'), { code: 27 });
      return {
        groups: [
          { groupId: 'app-1-partial', protocolType: 'consumer' },
          { groupId: 'app-1-elasticsearch', protocolType: 'consumer' },
          { groupId: 'other', protocolType: 'consumer' },
        ],
      };
    },
    fetchOffsets: async ({ groupId }: { groupId: string }) => [
      {
        topic: 'in',
        partitions:
          groupId === 'app-1-partial'
            ? [
                { partition: 0, offset: '90' },
                { partition: 1, offset: '-1' },
              ]
            : [
                { partition: 0, offset: '-1' },
                { partition: 1, offset: '-1' },
              ],
      },
    ],
  } as unknown as Admin;
}

describe('inputLag', () => {
  it("sums end minus committed over the processor group's partitions (uncommitted count from 0)", async () => {
    expect(await inputLag(fakeAdmin(0), 'app-1', 'in')).toBe(10 + 50);
  });

  it('retries a coordinator that answers rebalancing, then fails with TRIB_BENCH_IO', async () => {
    expect(await inputLag(fakeAdmin(2), 'app-1', 'in', 3)).toBe(60);
    await expect(inputLag(fakeAdmin(5), 'app-1', 'in', 2)).rejects.toMatchObject({
      code: 'TRIB_BENCH_IO',
      message: expect.stringMatching(
        /^cannot read the processor's input lag on in: The group is rebalancing/,
      ),
    });
  });

  it('counts every record when no group has committed yet', async () => {
    expect(await inputLag(fakeAdmin(0), 'nobody', 'in')).toBe(150);
  });
});
