import { describe, expect, it } from 'vitest';
import { comparisonFigures, peerRatio, resolvePeersWorkload } from '../../src/scenarios/peers-scenario.js';

describe('peers figures', () => {
  it('divides ours by the peer, null when either is missing', () => {
    expect(peerRatio(150, 100)).toBe(1.5);
    expect(peerRatio(null, 100)).toBeNull();
    expect(peerRatio(150, null)).toBeNull();
    expect(peerRatio(150, 0)).toBeNull();
  });

  it('names the peer, ours and the ratio', () => {
    expect(
      comparisonFigures(
        'bulk',
        'docs/s',
        { label: 'helpers-bulk', value: 40 },
        { label: 'bulk-sink', value: 50 },
        'same docs',
      ),
    ).toEqual([
      { name: 'peers.bulk.helpers-bulk', unit: 'docs/s', value: 40 },
      { name: 'peers.bulk.bulk-sink', unit: 'docs/s', value: 50 },
      { name: 'peers.bulk.ratio', unit: '×', value: 1.25, note: 'bulk-sink / helpers-bulk; same docs' },
    ]);
  });

  it('validates the workload naming the option', () => {
    expect(resolvePeersWorkload({ records: 10 }).records).toBe(10);
    expect(() => resolvePeersWorkload({ documents: 0 })).toThrow(/^documents must be a positive integer/);
  });
});
