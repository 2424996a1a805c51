import { describe, expect, it } from 'vitest';
import { renderSelfTime } from '../../src/suites/cpu-profile.js';

describe('renderSelfTime', () => {
  it('sums self samples per function, largest first', () => {
    const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(idle)') },
        { id: 2, callFrame: frame('decode', 'file:///x/projection.js', 41) },
        { id: 3, callFrame: frame('', 'file:///x/a.js', 9) },
        { id: 4, callFrame: frame('decode', 'file:///x/projection.js', 41) },
      ],
      samples: [2, 2, 4, 3, 1, 2, 1, 1, 2, 2],
    };
    expect(renderSelfTime(profile, 2)).toBe(
      [
        '10 samples, 30.0% idle; self time, share of all samples:',
        ' 60.0%  decode projection.js:42',
        ' 30.0%  (idle)',
      ].join('\n'),
    );
  });
});
