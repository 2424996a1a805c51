import { describe, expect, it } from 'vitest';
import { decodeRepartitionRecord } from '@tributary/processor';
import { encodeFormat1, partialsWorkload, renderPartialsTable } from '../../src/suites/processor-partials.js';

describe('processor-partials suite', () => {
  it('writes format 1 as the previous version did: the current decoder reads it back', () => {
    const [p] = partialsWorkload(1);
    expect(decodeRepartitionRecord(encodeFormat1(p!))).toEqual(p);
    expect(partialsWorkload(40_001).at(-1)).toMatchObject({
      upstreamPartition: 0,
      windowStart: 120_000,
      key: '/page/0',
    });
  });

  it('prints CPU ms per contender and the ratios of this build', () => {
    const table = renderPartialsTable(
      [
        { step: 'records', cpuMs: [90, 27, 30] },
        { step: 'merge', cpuMs: [Number.NaN, 300, 330] },
      ],
      ['format 1', 'this build', 'baseline'],
    );
    expect(table.split('\n').slice(2)).toEqual([
      '| records | 90.0 | 27.0 | 30.0 | 0.30× | 0.90× |',
      '| merge | – | 300.0 | 330.0 | – | 0.91× |',
    ]);
  });
});
