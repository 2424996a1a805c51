import { describe, expect, it } from 'vitest';
import { decodeClickstreamEvent, encodeClickstreamEvent } from '@tributary/schema';
import {
  codecWorkload,
  measureCodecs,
  renderCodecTable,
  schemaCodecSuite,
} from '../../src/suites/schema-codec.js';

describe('schema-codec suite', () => {
  it('generates the same events every time; the seed workload has its 4 fields only', () => {
    const full = codecWorkload(3, 'full');
    expect(codecWorkload(3, 'full')).toEqual(full);
    expect(Object.keys(full[0]!)).toHaveLength(10);
    expect(Object.keys(codecWorkload(1, 'seed')[0]!)).toEqual([
      'userId',
      'pageUrl',
      'timestamp',
      'eventType',
    ]);
  });

  it('measures every codec on the same events (rates and sizes, no timing asserted)', () => {
    const rows = measureCodecs(
      [
        {
          name: 'JSON',
          encode: (e) => Buffer.from(JSON.stringify(e)),
          decode: (b) => JSON.parse(String(b)) as unknown,
        },
        { name: 'schema', encode: (e) => encodeClickstreamEvent(e as never), decode: decodeClickstreamEvent },
        {
          name: 'again',
          encode: (e) => encodeClickstreamEvent(e as never),
          decode: decodeClickstreamEvent,
          decodeOnly: true,
        },
      ],
      codecWorkload(20, 'full'),
      1,
    );
    expect(rows.map((r) => r.name)).toEqual(['JSON', 'schema', 'again']);
    expect(rows[1]!.bytes).toBeLessThan(rows[0]!.bytes!);
    expect(rows[2]!.encode).toBeUndefined();
    expect(rows[2]!.bytes).toBeUndefined();
  });

  it('prints ratios against the first row', () => {
    const table = renderCodecTable([
      { name: 'JSON', encode: 400_000, decode: 600_000, bytes: 357.7 },
      { name: 'projection', encode: undefined, decode: 1_400_000, bytes: undefined },
    ]);
    expect(table.split('\n')).toEqual([
      '| codec | encode ev/s | decode ev/s | bytes/event | encode vs JSON | decode vs JSON | size vs JSON |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      '| JSON | 400 k/s | 600 k/s | 357.7 | 1.00× | 1.00× | 1.00× |',
      '| projection | – | 1.40 M/s | – | – | 2.33× | – |',
    ]);
  });

  it('declares its options with their defaults', () => {
    expect(schemaCodecSuite.options.resolve()).toEqual({ events: 100_000, rounds: 5, workload: 'full' });
  });
});
