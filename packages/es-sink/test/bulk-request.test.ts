import { describe, expect, it } from 'vitest';
import { responseItems } from '../src/bulk-request.js';

describe('responseItems', () => {
  it('unwraps each item from its action key, in request order', () => {
    expect(
      responseItems(
        { items: [{ index: { status: 201 } }, { delete: { status: 404, result: 'not_found' } }] },
        ['index', 'delete'],
      ),
    ).toEqual([{ status: 201 }, { status: 404, result: 'not_found' }]);
  });

  it('accepts an update answered under its own key and rejects a count mismatch', () => {
    expect(responseItems({ items: [{ update: { status: 200 } }] }, ['update'])).toEqual([{ status: 200 }]);
    expect(responseItems({ items: [{ index: { status: 201 } }] }, ['index', 'index'])).toBeUndefined();
    expect(responseItems({}, ['index'])).toBeUndefined();
  });
});
