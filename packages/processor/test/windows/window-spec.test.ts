import { describe, expect, it } from 'vitest';
import { createWindowAssigner, type WindowSpec } from '../../src/windows/window-spec.js';

describe('createWindowAssigner', () => {
  it('builds each kind', () => {
    expect(createWindowAssigner({ kind: 'tumbling', sizeMs: 10 }).assign(15)).toEqual([
      { start: 10, end: 20 },
    ]);
    expect(createWindowAssigner({ kind: 'hopping', sizeMs: 10, advanceMs: 5 }).assign(15)).toHaveLength(2);
    expect(createWindowAssigner({ kind: 'session', gapMs: 10 }).kind).toBe('session');
  });

  it('rejects an unknown kind naming window.kind', () => {
    expect(() => createWindowAssigner({ kind: 'sliding' } as unknown as WindowSpec)).toThrow(
      /window.kind must be one of tumbling, hopping, session/,
    );
  });
});
