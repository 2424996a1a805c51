#!/usr/bin/env node
// Codec benchmark: encode and decode throughput (events/s on one core) and bytes per event for the same
// generated ClickstreamEvents through static generated code, protobufjs reflection, the projection decoder and
// JSON.stringify/parse. Ratios are against JSON. Run after a build: `npx nx run @tributary/schema:bench`
// (or `npm run bench -w @tributary/schema` once dist/ exists). Not a test: no thresholds, no asserts.
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import protobuf from 'protobufjs';
import {
  clickstreamProtoPath,
  decodeClickstreamEvent,
  decodeClickstreamProjection,
  encodeClickstreamEvent,
} from '../dist/index.js';
import { tributary } from '../dist/generated/clickstream.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
    workload: { type: 'string', default: 'full' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('Usage: node bench/codec.mjs [--events 100000] [--rounds 5] [--workload full|seed]');
  console.log(
    "  full: all 10 ClickstreamEvent fields; seed: only the seed message's 4 fields (user_id, page_url, timestamp, event_type)",
  );
  process.exit(0);
}
const EVENTS = Number(values.events);
const ROUNDS = Number(values.rounds);
if (!Number.isInteger(EVENTS) || EVENTS < 1)
  throw new Error(`--events must be a positive integer, got ${values.events}`);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1)
  throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);

// Deterministic workload (mulberry32), shaped like the seed's producer plus the new fields.
let seed = 0x5eed;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const DEVICES = ['desktop', 'mobile', 'tablet'];
const COUNTRIES = ['DE', 'US', 'FR', 'IN', 'BR', 'JP'];
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
];
const base = 1_763_800_000_000;
const fullEvents = Array.from({ length: EVENTS }, (_, i) => ({
  userId: `user_${Math.floor(rand() * 1_000_000)}`,
  pageUrl: `/page/${Math.floor(rand() * 500)}`,
  timestamp: base + i * 3 + Math.floor(rand() * 1000),
  eventType: rand() < 0.3 ? 'CLICK' : 'VIEW',
  eventId: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
  sessionId: `s_${hex(16)}`,
  referrer: rand() < 0.5 ? '' : `https://www.example.com/search?q=${hex(6)}`,
  userAgent: AGENTS[Math.floor(rand() * AGENTS.length)],
  device: DEVICES[Math.floor(rand() * DEVICES.length)],
  country: COUNTRIES[Math.floor(rand() * COUNTRIES.length)],
}));
// The seed's 4-field message, for the size comparison the seed made (Protobuf "40% smaller than JSON").
const seedEvents = fullEvents.map(({ userId, pageUrl, timestamp, eventType }) => ({
  userId,
  pageUrl,
  timestamp,
  eventType,
}));
const events = values.workload === 'seed' ? seedEvents : fullEvents;

const StaticEvent = tributary.clickstream.v1.ClickstreamEvent;
const ReflectedEvent = new protobuf.Root()
  .loadSync(clickstreamProtoPath())
  .lookupType('tributary.clickstream.v1.ClickstreamEvent');

const codecs = [
  {
    name: 'JSON.stringify/parse (baseline)',
    encode: (e) => Buffer.from(JSON.stringify(e)),
    decode: (b) => JSON.parse(b.toString('utf8')),
  },
  {
    name: 'static generated (pbjs)',
    encode: (e) => StaticEvent.encode(e).finish(),
    decode: (b) => StaticEvent.decode(b),
  },
  {
    name: 'protobufjs reflection',
    encode: (e) => ReflectedEvent.encode(e).finish(),
    decode: (b) => ReflectedEvent.decode(b),
  },
  {
    name: '@tributary/schema encode/decodeClickstreamEvent',
    encode: encodeClickstreamEvent,
    decode: decodeClickstreamEvent,
  },
  {
    name: '@tributary/schema decodeClickstreamProjection',
    encode: encodeClickstreamEvent,
    decode: decodeClickstreamProjection,
    decodeOnly: true,
  },
];

let sink = 0; // consumed so the JIT cannot drop the work
/** CPU time (user + system, ms) of running fn: robust against other processes sharing the cores; wall time is not. */
function cpuTime(fn) {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const runs = codecs.map((codec) => {
  const encoded = events.map((e) => codec.encode(e));
  return {
    codec,
    bytes: encoded.reduce((n, b) => n + b.length, 0) / EVENTS,
    encodeRun: () => {
      for (let i = 0; i < EVENTS; i++) sink += codec.encode(events[i]).length;
    },
    decodeRun: () => {
      for (let i = 0; i < EVENTS; i++) sink += codec.decode(encoded[i]).pageUrl.length;
    },
    enc: [],
    dec: [],
  };
});
for (const run of runs) {
  run.encodeRun(); // warm-up
  run.decodeRun();
}
// Rounds interleave the codecs so a burst of load on the machine hits all of them alike.
for (let r = 0; r < ROUNDS; r++) {
  for (const run of runs) {
    if (!run.codec.decodeOnly) run.enc.push(cpuTime(run.encodeRun));
    run.dec.push(cpuTime(run.decodeRun));
  }
}
const rows = runs.map((run) => ({
  name: run.codec.name,
  encode: run.codec.decodeOnly ? undefined : EVENTS / (median(run.enc) / 1000),
  decode: EVENTS / (median(run.dec) / 1000),
  bytes: run.codec.decodeOnly ? undefined : run.bytes,
}));

const json = rows[0];
const fmt = (n) =>
  n === undefined ? '–' : n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(0)} k/s`;
const ratio = (a, b) => (a === undefined ? '–' : `${(a / b).toFixed(2)}×`);
const seedJson = seedEvents.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / EVENTS;
const seedProto = seedEvents.reduce((n, e) => n + StaticEvent.encode(e).finish().length, 0) / EVENTS;

console.log(
  `node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, events/s per CPU-second (one core), ${EVENTS} events (workload ${values.workload}), median of ${ROUNDS} interleaved rounds`,
);
console.log('');
console.log(
  '| codec | encode ev/s | decode ev/s | bytes/event | encode vs JSON | decode vs JSON | size vs JSON |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${fmt(r.encode)} | ${fmt(r.decode)} | ${r.bytes === undefined ? '–' : r.bytes.toFixed(1)} | ${ratio(r.encode, json.encode)} | ${ratio(r.decode, json.decode)} | ${r.bytes === undefined ? '–' : ratio(r.bytes, json.bytes)} |`,
  );
}
const full = rows.find((r) => r.name.includes('decodeClickstreamEvent'));
const projection = rows.find((r) => r.name.includes('decodeClickstreamProjection'));
console.log('');
console.log(`projection vs full decode (decodeClickstreamEvent): ${ratio(projection.decode, full.decode)}`);
console.log('');
console.log(
  `seed's 4-field message: protobuf ${seedProto.toFixed(1)} B vs JSON ${seedJson.toFixed(1)} B per event (${((1 - seedProto / seedJson) * 100).toFixed(0)}% smaller)`,
);
if (sink === 0) console.log('');
