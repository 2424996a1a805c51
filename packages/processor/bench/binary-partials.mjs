// Partial accumulators on the hot path of a re-keyed aggregation, format 1 (JSON + base64, the previous version)
// against format 2 (binary): the repartition record (stage 1 encodes, the merge decodes) and the merge's window
// state (apply the partial, compare it with the held one, write the changelog value, read it back on restore, read
// the accumulators at a firing). CPU time of the main thread, no Kafka, no I/O. Not a test: nothing asserts.
//
//   npx nx run processor:build && node packages/processor/bench/binary-partials.mjs [--partials 100000] [--rounds 5]
import { parseArgs } from 'node:util';
import { decodeRepartitionRecord, encodeRepartitionRecord } from '../dist/index.js';
import { partsCodec } from '../dist/engine/merge-parts.js';
import { decodeWindowState, encodeWindowState } from '../dist/engine/window-state-codec.js';

const { values } = parseArgs({
  options: { partials: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '5' } },
});
const N = Number(values.partials);
const ROUNDS = Number(values.rounds);
const UPSTREAMS = 4;

// Clickstream-like partials: 1000 pages, 16-byte accumulators (two f64 counts), 4 upstream partitions.
const partials = Array.from({ length: N }, (_, i) => {
  const acc = Buffer.alloc(16);
  acc.writeDoubleBE(i % 97, 0);
  acc.writeDoubleBE(i % 13, 8);
  const windowStart = Math.floor(i / 20_000) * 60_000;
  return {
    type: 'partial',
    upstreamPartition: i % UPSTREAMS,
    key: `/page/${i % 1000}`,
    windowStart,
    windowEnd: windowStart + 60_000,
    accumulator: acc,
  };
});

/** Format 1 as the previous version wrote it. */
function encodeV1(r) {
  return Buffer.from(
    JSON.stringify({
      formatVersion: 1,
      type: 'partial',
      upstreamPartition: r.upstreamPartition,
      key: r.key,
      windowStart: r.windowStart,
      windowEnd: r.windowEnd,
      accumulator: r.accumulator.toString('base64'),
    }),
  );
}

const records = {
  v1() {
    let n = 0;
    for (const p of partials) n += decodeRepartitionRecord(encodeV1(p)).accumulator.length;
    return n;
  },
  v2() {
    let n = 0;
    for (const p of partials) n += decodeRepartitionRecord(encodeRepartitionRecord(p)).accumulator.length;
    return n;
  },
};

// The merge's state, one slot per (key, window): apply, changelog value, restore, firing.
const slot = (p, content) => ({
  key: p.key,
  start: p.windowStart,
  end: p.windowEnd,
  version: 1,
  fired: false,
  closed: false,
  content,
});
const state = {
  v1() {
    const slots = new Map();
    let n = 0;
    for (const p of partials) {
      const id = `${p.windowStart}:${p.windowEnd}:${p.key}`;
      const u = String(p.upstreamPartition);
      const b64 = p.accumulator.toString('base64');
      const held = slots.get(id);
      if (held?.content[u] === b64) continue;
      const s = slot(p, { ...held?.content, [u]: b64 });
      slots.set(id, s);
      const value = Buffer.from(
        JSON.stringify({
          k: s.key,
          s: s.start,
          e: s.end,
          v: s.version,
          f: s.fired,
          c: s.closed,
          a: Buffer.from(JSON.stringify(s.content)).toString('base64'),
        }),
      );
      const j = JSON.parse(value.toString('utf8'));
      const parts = JSON.parse(Buffer.from(j.a, 'base64').toString('utf8'));
      for (const k of Object.keys(parts).sort((a, b) => Number(a) - Number(b)))
        n += Buffer.from(parts[k], 'base64').length;
    }
    return n;
  },
  v2() {
    const slots = new Map();
    let n = 0;
    for (const p of partials) {
      const id = `${p.windowStart}:${p.windowEnd}:${p.key}`;
      const u = p.upstreamPartition;
      const held = slots.get(id);
      if (held?.content.get(u)?.equals(p.accumulator) === true) continue;
      const s = held ?? slot(p, new Map());
      s.content.set(u, p.accumulator);
      slots.set(id, s);
      const value = encodeWindowState({
        key: s.key,
        start: s.start,
        end: s.end,
        version: s.version,
        fired: s.fired,
        closed: s.closed,
        bytes: partsCodec.encode(s.content),
      });
      const parts = partsCodec.decode(decodeWindowState(value).bytes);
      for (const k of [...parts.keys()].sort((a, b) => a - b)) n += parts.get(k).length;
    }
    return n;
  },
};

function cpuMs(fn) {
  const before = process.cpuUsage();
  fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bytes = (encode) => partials.reduce((sum, p) => sum + encode(p).length, 0) / N;

const rows = [];
for (const [name, pair] of Object.entries({
  'repartition record (encode + decode)': records,
  'merge state (apply + changelog + restore + firing)': state,
})) {
  pair.v1();
  pair.v2(); // warm-up
  const t1 = [];
  const t2 = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternating, so drift (GC, thermal, neighbours) hits both alike.
    t1.push(cpuMs(pair.v1));
    t2.push(cpuMs(pair.v2));
  }
  const v1 = median(t1);
  const v2 = median(t2);
  rows.push({
    step: name,
    'format 1 CPU-ms': v1.toFixed(1),
    'format 2 CPU-ms': v2.toFixed(1),
    'format 2 / format 1': (v2 / v1).toFixed(2),
  });
}
console.log(
  `${N} partials, ${UPSTREAMS} upstreams, 16-byte accumulators, median of ${ROUNDS} alternating rounds (Node ${process.version})`,
);
console.table(rows);
console.log(
  `repartition record bytes: format 1 ${bytes(encodeV1).toFixed(1)}, format 2 ${bytes(encodeRepartitionRecord).toFixed(1)}`,
);
