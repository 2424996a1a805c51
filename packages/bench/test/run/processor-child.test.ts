import { describe, expect, it } from 'vitest';
import { processorCliPath, processorFlags } from '../../src/run/processor-child.js';

describe('processor child', () => {
  it('spells options as the processor CLI flags', () => {
    expect(
      processorFlags({ applicationId: 'a', windowSizeMs: 2000, elasticsearch: false, logLevel: 'error' }),
    ).toEqual([
      '--application-id',
      'a',
      '--window-size-ms',
      '2000',
      '--no-elasticsearch',
      '--log-level',
      'error',
    ]);
  });

  it('finds the tributary-processor binary of the installed package', () => {
    expect(processorCliPath()).toMatch(/processor[\\/]dist[\\/]cli\.js$/);
  });
});
