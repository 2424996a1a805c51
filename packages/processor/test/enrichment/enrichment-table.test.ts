import { describe, expect, it } from 'vitest';
import { EnrichmentTable } from '../../src/enrichment/enrichment-table.js';

interface Country {
  name: string;
  region: string;
}

const rec = (key: string | null, value: unknown) => ({
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

describe('EnrichmentTable', () => {
  it('applies compacted-topic records in order: last write wins, null deletes', () => {
    const t = new EnrichmentTable<Country>();
    t.apply(rec('DE', { name: 'Germany', region: 'EU' }));
    t.apply(rec('US', { name: 'USA', region: 'NA' }));
    t.apply(rec('DE', { name: 'Deutschland', region: 'EU' }));
    t.apply(rec('US', null));
    expect(t.lookup('DE')).toEqual({ name: 'Deutschland', region: 'EU' });
    expect(t.lookup('US')).toBeUndefined();
    expect(t.size).toBe(1);
    expect(t.stats).toEqual({ upserts: 3, deletes: 1, skipped: 0 });
  });

  it('skips keyless and undecodable records, keeping the previous value', () => {
    const t = new EnrichmentTable<Country>();
    t.apply(rec('FR', { name: 'France', region: 'EU' }));
    expect(t.apply(rec('FR', '{broken'))).toBe(false);
    expect(t.apply(rec(null, { name: 'x', region: 'y' }))).toBe(false);
    expect(t.lookup('FR')?.name).toBe('France');
    expect(t.stats.skipped).toBe(2);
  });

  it('joins events with their row (left join) through join and enricher', () => {
    const t = new EnrichmentTable<Country>();
    t.set('DE', { name: 'Germany', region: 'EU' });
    const enrich = t.enricher(
      (e: { country: string; page: string }) => e.country,
      (e, row) => ({ ...e, region: row?.region ?? 'unknown' }),
    );
    expect(enrich({ country: 'DE', page: '/a' })).toEqual({ country: 'DE', page: '/a', region: 'EU' });
    expect(enrich({ country: 'BR', page: '/b' })).toEqual({ country: 'BR', page: '/b', region: 'unknown' });
    expect(
      t.join(
        { c: 'DE' },
        (e) => e.c,
        (_e, row) => row?.name,
      ),
    ).toBe('Germany');
  });

  it('uses custom decoders and validates them', () => {
    const t = new EnrichmentTable<number>({
      decodeValue: (b) => b.readUInt8(0),
      decodeKey: (b) => b.toString('hex'),
    });
    t.apply({ key: Buffer.from([0xab]), value: Buffer.from([7]) });
    expect(t.lookup('ab')).toBe(7);
    expect(() => new EnrichmentTable({ decodeValue: 5 as unknown as () => number })).toThrow(
      /decodeValue must be a function/,
    );
  });
});
