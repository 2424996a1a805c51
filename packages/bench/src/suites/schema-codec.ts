import { cpus } from 'node:os';
import { option, z } from '@tributary/options';
import { Prng } from '@tributary/producer';
import * as schema from '@tributary/schema';
import type { ClickstreamEvent } from '@tributary/schema';
import { BASELINE, count } from './common-options.js';
import { importBaseline } from './baseline.js';
import { interleavedMedians } from './cpu-rounds.js';
import { markdownTable, perSecond, times } from './output.js';
import { defineSuite } from './suite.js';

type Schema = typeof schema;

interface Codec {
  readonly name: string;
  /** The codec's form of an event, made before timing. @defaultValue the event itself */
  readonly input?: (event: ClickstreamEvent) => unknown;
  readonly encode: (input: unknown) => Uint8Array;
  readonly decode: (bytes: Uint8Array) => unknown;
  /** Decoded from the same bytes as the codec before it; encode and size are not its own. */
  readonly decodeOnly?: boolean;
}

export interface CodecRow {
  readonly name: string;
  /** Events per CPU-second; undefined for a decode-only codec. */
  readonly encode: number | undefined;
  readonly decode: number;
  readonly bytes: number | undefined;
}

const DEVICES = ['desktop', 'mobile', 'tablet'];
const COUNTRIES = ['DE', 'US', 'FR', 'IN', 'BR', 'JP'];
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
];

/** Deterministic events shaped like the seed's producer plus the fields added since; `seed`: its 4 fields only. */
export function codecWorkload(events: number, workload: 'full' | 'seed'): ClickstreamEvent[] {
  const rng = new Prng(0x5eed);
  const hex = (n: number): string => Array.from({ length: n }, () => rng.int(16).toString(16)).join('');
  const base = 1_763_800_000_000;
  return Array.from({ length: events }, (_, i) => {
    const full: ClickstreamEvent = {
      userId: `user_${rng.int(1_000_000)}`,
      pageUrl: `/page/${rng.int(500)}`,
      timestamp: base + i * 3 + rng.int(1000),
      eventType: rng.chance(0.3) ? 'CLICK' : 'VIEW',
      eventId: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
      sessionId: `s_${hex(16)}`,
      referrer: rng.chance(0.5) ? '' : `https://www.example.com/search?q=${hex(6)}`,
      userAgent: AGENTS[rng.int(AGENTS.length)]!,
      device: DEVICES[rng.int(DEVICES.length)]!,
      country: COUNTRIES[rng.int(COUNTRIES.length)]!,
    };
    if (workload === 'full') return full;
    const { userId, pageUrl, timestamp, eventType } = full;
    // The seed's message had these 4 fields; absent fields are neither encoded nor in the JSON.
    return { userId, pageUrl, timestamp, eventType } as ClickstreamEvent;
  });
}

function schemaCodecs(s: Schema, label: string): Codec[] {
  return [
    {
      name: `@tributary/schema encode/decodeClickstreamEvent${label}`,
      encode: (e) => s.encodeClickstreamEvent(e as ClickstreamEvent),
      decode: s.decodeClickstreamEvent,
    },
    {
      name: `@tributary/schema decodeClickstreamProjection${label}`,
      encode: (e) => s.encodeClickstreamEvent(e as ClickstreamEvent),
      decode: s.decodeClickstreamProjection,
      decodeOnly: true,
    },
  ];
}

/** Encode and decode rates (events per CPU-second, median of interleaved rounds) and bytes per event. */
export function measureCodecs(
  codecs: readonly Codec[],
  events: readonly ClickstreamEvent[],
  rounds: number,
): CodecRow[] {
  let sink = 0; // consumed, so the JIT cannot drop the work
  const runs = codecs.map((codec) => {
    const inputs = codec.input === undefined ? events : events.map(codec.input);
    const encoded = inputs.map((e) => codec.encode(e));
    return {
      codec,
      bytes: encoded.reduce((n, b) => n + b.length, 0) / events.length,
      encode: () => {
        for (const e of inputs) sink += codec.encode(e).length;
      },
      decode: () => {
        for (const b of encoded) if (codec.decode(b) !== undefined) sink++;
      },
    };
  });
  const work = runs.flatMap((r) => (r.codec.decodeOnly === true ? [r.decode] : [r.encode, r.decode]));
  const medians = interleavedMedians(work, rounds);
  if (sink === 0) throw new Error('nothing was decoded');
  let next = 0;
  const rate = (): number => events.length / (medians[next++]! / 1000);
  return runs.map((r) => {
    const only = r.codec.decodeOnly === true;
    const encode = only ? undefined : rate();
    return { name: r.codec.name, encode, decode: rate(), bytes: only ? undefined : r.bytes };
  });
}

/** The table: rates, bytes and ratios against the first row (JSON). */
export function renderCodecTable(rows: readonly CodecRow[]): string {
  const json = rows[0]!;
  const ratio = (a: number | undefined, b: number | undefined): string =>
    times(a === undefined || b === undefined ? undefined : a / b);
  return markdownTable(
    [
      'codec',
      'encode ev/s',
      'decode ev/s',
      'bytes/event',
      'encode vs JSON',
      'decode vs JSON',
      'size vs JSON',
    ],
    rows.map((r) => [
      r.name,
      perSecond(r.encode),
      perSecond(r.decode),
      r.bytes === undefined ? '–' : r.bytes.toFixed(1),
      ratio(r.encode, json.encode),
      ratio(r.decode, json.decode),
      ratio(r.bytes, json.bytes),
    ]),
  );
}

export const schemaCodecSuite = defineSuite({
  name: 'schema-codec',
  summary:
    "@tributary/schema's codecs against JSON and protobufjs reflection, events per CPU-second on one core",
  needs: 'nothing',
  description:
    'Events per CPU-second (median of interleaved rounds), bytes per event, ratios against JSON; run it on one core\n' +
    '(taskset -c 1). What is and is not measured: packages/schema/bench/README.md.',
  options: {
    events: count(100_000, 'events per codec and round'),
    rounds: count(5, 'interleaved rounds; the median is reported'),
    workload: option(
      z.enum(['full', 'seed']).default('full'),
      "full: all 10 ClickstreamEvent fields; seed: only the seed message's 4 (user_id, page_url, timestamp, event_type)",
    ),
    baseline: BASELINE,
  },
  async run(o, context) {
    const events = codecWorkload(o.events, o.workload);
    const reflected = schema
      .loadProtoFile(schema.clickstreamProtoPath())
      .lookupType(schema.CLICKSTREAM_EVENT_TYPE_NAME);
    const baseline =
      o.baseline === undefined
        ? []
        : schemaCodecs(await importBaseline<Schema>(o.baseline, 'schema'), ' (baseline)');
    const codecs: Codec[] = [
      {
        name: 'JSON.stringify/parse (reference)',
        encode: (e) => Buffer.from(JSON.stringify(e)),
        decode: (b) => JSON.parse((b as Buffer).toString('utf8')) as unknown,
      },
      {
        name: 'protobufjs reflection',
        input: schema.clickstreamEventToJSON,
        encode: (e) => reflected.encode(e as Record<string, unknown>).finish(),
        decode: (b) => reflected.decode(b),
      },
      ...schemaCodecs(schema, ''),
      ...baseline,
    ];
    const rows = measureCodecs(codecs, events, o.rounds);
    const row = (name: string): CodecRow => rows.find((r) => r.name === name)!;
    const full = row('@tributary/schema encode/decodeClickstreamEvent');
    const projection = row('@tributary/schema decodeClickstreamProjection');
    const seed = codecWorkload(Math.min(o.events, 10_000), 'seed');
    const size = (encode: (e: ClickstreamEvent) => Uint8Array): number =>
      seed.reduce((n, e) => n + encode(e).length, 0) / seed.length;
    const seedJson = size((e) => Buffer.from(JSON.stringify(e)));
    const seedProto = size(schema.encodeClickstreamEvent);
    const lines = [
      `node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, events per CPU-second (one core), ${o.events} events (workload ${o.workload}), median of ${o.rounds} interleaved rounds`,
      '',
      renderCodecTable(rows),
      '',
      `projection vs full decode (decodeClickstreamEvent): ${times(projection.decode / full.decode)}`,
    ];
    if (o.baseline !== undefined) {
      const b = (r: CodecRow): CodecRow => row(`${r.name} (baseline)`);
      lines.push(
        `this build vs the baseline: encode ${times(full.encode! / b(full).encode!)}, decode ${times(full.decode / b(full).decode)}, projection ${times(projection.decode / b(projection).decode)}`,
      );
    }
    lines.push(
      '',
      `seed's 4-field message: protobuf ${seedProto.toFixed(1)} B vs JSON ${seedJson.toFixed(1)} B per event (${((1 - seedProto / seedJson) * 100).toFixed(0)}% smaller)`,
    );
    context.print(lines.join('\n'));
  },
});
