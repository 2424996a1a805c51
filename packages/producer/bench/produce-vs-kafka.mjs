#!/usr/bin/env node
/**
 * Sustained produce rate of @tributary/producer (kafkajs, idempotent, acks=all, LZ4) against Apache Kafka's own
 * org.apache.kafka.tools.ProducerPerformance on the same broker, same record count and size, run one after the
 * other in one invocation; reported as a ratio (ours / Kafka). Build first: npx nx build @tributary/producer.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, loadavg, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadKafkajs, registerLz4Codec } from '@tributary/kafka';
import { LatencyHistogram, formatPerfSummary, runLoad } from '../dist/index.js';

// The kafkajs the producer runs on (@tributary/kafka's, with its fixes), also for "kafkajs alone".
const kafkajs = loadKafkajs();

const KAFKA_VERSION = '3.9.1';
const VARIANTS = ['ours', 'single', 'threads1', 'threads2', 'headers', 'producers', 'kafkajs', 'baseline'];
const DEFAULT_VARIANTS = ['ours', 'headers', 'producers', 'kafkajs'];
const HELP = `Usage: npm run bench -w @tributary/producer -- [options]

  --brokers <list>     bootstrap servers (default 127.0.0.1:9092)
  --count <n>          records per run (default 500000)
  --runs <n>           rounds; each round runs Kafka's ProducerPerformance and the variants (default 1)
  --partitions <n>     partitions of each (fresh) topic (default 4)
  --record-size <n>    ProducerPerformance --record-size (default 90, our mean encoded event is ~91 B)
  --kafka-libs <dir>   directory of kafka-tools ${KAFKA_VERSION} jars (default: resolved with Maven into ~/.cache)
  --variants <list>    which of ours run besides Kafka's, comma-separated, in this order (default
                       ${DEFAULT_VARIANTS.join(',')}):
                         ours       runLoad with the defaults (senderThreads auto: 1 here)
                         single     … with senderThreads: 0 (everything on the main thread)
                         threads1   … with senderThreads: 1 (one producer on one sender thread)
                         threads2   … with senderThreads: 2 (two producers, one per sender thread)
                         headers    … with recordHeaders: true
                         producers  … with producers: 4
                         kafkajs    kafkajs alone sending pre-built records (the ceiling ours runs under)
                         baseline   runLoad with the defaults from the build given by --baseline
  --baseline <dir>     a dist/ directory of another build of this package (e.g. of an earlier commit) for the
                       baseline variant: before/after side by side in one run
  --out <file>         results JSON (default bench-results/produce-vs-kafka.json)
  --help               this help
Rounds alternate the order (odd rounds: Kafka first, even rounds: Kafka last) so a load drift hits both sides.
Environment: TRIBUTARY_KAFKA_LIBS = --kafka-libs.`;

let parsed;
try {
  parsed = parseArgs({
    options: {
      brokers: { type: 'string', default: '127.0.0.1:9092' },
      count: { type: 'string', default: '500000' },
      runs: { type: 'string', default: '1' },
      partitions: { type: 'string', default: '4' },
      'record-size': { type: 'string', default: '90' },
      'kafka-libs': { type: 'string' },
      variants: { type: 'string', default: DEFAULT_VARIANTS.join(',') },
      baseline: { type: 'string' },
      out: { type: 'string', default: 'bench-results/produce-vs-kafka.json' },
      help: { type: 'boolean' },
    },
  });
} catch (err) {
  console.error(`${err.message}\n\n${HELP}`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const int = (name) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer (got ${values[name]})`);
    process.exit(2);
  }
  return n;
};
const brokers = values.brokers.split(',');
const count = int('count');
const runs = int('runs');
const partitions = int('partitions');
const recordSize = int('record-size');
const variants = values.variants.split(',').filter((v) => v !== '');
const unknownVariant = variants.find((v) => !VARIANTS.includes(v));
if (unknownVariant !== undefined || variants.length === 0) {
  console.error(
    `--variants must be a comma-separated list of ${VARIANTS.join(', ')} (got ${values.variants})`,
  );
  process.exit(2);
}
if (variants.includes('baseline') !== (values.baseline !== undefined)) {
  console.error('--baseline <dist dir> and the baseline variant go together');
  process.exit(2);
}
let baselineRunLoad;
if (values.baseline !== undefined) {
  const entry = join(resolve(values.baseline), 'index.js');
  if (!existsSync(entry)) {
    console.error(`--baseline ${values.baseline}: no index.js there (give a built dist/ directory)`);
    process.exit(2);
  }
  baselineRunLoad = (await import(pathToFileURL(entry).href)).runLoad;
}

function resolveKafkaLibs() {
  const explicit = values['kafka-libs'] ?? process.env.TRIBUTARY_KAFKA_LIBS;
  if (explicit) return explicit;
  const dir = join(homedir(), '.cache', 'tributary', `kafka-tools-${KAFKA_VERSION}`);
  const libs = join(dir, 'libs');
  if (existsSync(libs) && readdirSync(libs).some((f) => f.startsWith('kafka-tools-'))) return libs;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>tributary</groupId><artifactId>kafka-tools-libs</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-clients</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
  </dependencies></project>\n`,
  );
  console.error(`resolving kafka-tools ${KAFKA_VERSION} with Maven into ${libs} …`);
  const mvn = spawnSync('mvn', ['-B', '-q', 'dependency:copy-dependencies', '-DoutputDirectory=libs'], {
    cwd: dir,
    stdio: 'inherit',
  });
  if (mvn.error || mvn.status !== 0) {
    console.error(
      `mvn failed (${mvn.error?.message ?? `exit ${mvn.status}`}): install Maven and a JDK, or pass --kafka-libs`,
    );
    process.exit(1);
  }
  return libs;
}

/** Creates the topic and waits until every partition has a leader (a busy broker may say "unknown topic" first)… */
async function createTopic(admin, topic) {
  await admin.createTopics({
    waitForLeaders: false,
    topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const found = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
      // …and answers for their offsets (a leader in the metadata may still say "not the leader" for a moment).
      if (found.length === partitions && found.every((p) => p.leader >= 0)) {
        await admin.fetchTopicOffsets(topic);
        return;
      }
    } catch (err) {
      if (err.retriable !== true || attempt >= 100) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const SUMMARY =
  /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th/;

function parseSummary(line) {
  const m = SUMMARY.exec(line);
  if (!m) throw new Error(`cannot parse summary line: ${line}`);
  return {
    records: Number(m[1]),
    recordsPerSec: Number(m[2]),
    mbPerSec: Number(m[3]),
    avgMs: Number(m[4]),
    maxMs: Number(m[5]),
    p50Ms: Number(m[6]),
    p95Ms: Number(m[7]),
    p99Ms: Number(m[8]),
    p999Ms: Number(m[9]),
    summary: m[0],
  };
}

function runJava(libs, topic) {
  const args = [
    '-cp',
    `${libs}/*`,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic',
    topic,
    '--num-records',
    String(count),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${brokers.join(',')}`,
    'acks=all',
    'compression.type=lz4',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // The JVM's CPU time (user + system, all threads), sampled from /proc until it exits: ≈, misses the last 100 ms.
    let cpuTicks = 0;
    const sampler = setInterval(() => {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        cpuTicks = Number(fields[11]) + Number(fields[12]);
      } catch {
        // gone, or no /proc
      }
    }, 100);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      const last = out
        .trim()
        .split('\n')
        .filter((l) => SUMMARY.test(l))
        .pop();
      if (code !== 0 || last === undefined)
        reject(new Error(`ProducerPerformance exited ${code}: ${err.slice(-2000)}`));
      else resolve({ ...parseSummary(last), cpuSeconds: cpuTicks / 100 });
    });
  });
}

async function runOurs(topic, extra = {}, load = runLoad) {
  const before = process.cpuUsage();
  const report = await load({
    brokers,
    topic,
    partitions,
    rate: 0,
    count,
    compression: 'lz4',
    progressIntervalMs: 0,
    ...extra,
  });
  const cpu = process.cpuUsage(before);
  if (report.failed > 0)
    throw new Error(`our producer failed ${report.failed} records: ${report.errors.join('; ')}`);
  return {
    ...parseSummary(report.summary),
    meanRecordBytes: report.bytes / report.sent,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/**
 * kafkajs alone, for reference: the same idempotent acks=all LZ4 producer sending pre-built records (Kafka's
 * ProducerPerformance payload: random upper-case letters; keyed like ours), 4000-record batches, 2 send() calls
 * outstanding. No generator, no ground truth, no headers: the ceiling our producer runs under.
 */
async function runKafkajsAlone(topic) {
  registerLz4Codec();
  const { Kafka, logLevel, CompressionTypes } = kafkajs;
  const producer = new Kafka({
    clientId: 'tributary-bench-raw',
    brokers,
    logLevel: logLevel.NOTHING,
  }).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const batch = 4000;
  const messages = Array.from({ length: batch }, (_, i) => {
    const value = Buffer.alloc(recordSize);
    for (let k = 0; k < recordSize; k++) value[k] = 65 + Math.floor(Math.random() * 26);
    return { key: `u${String(i % 10000).padStart(4, '0')}`, value, partition: i % partitions };
  });
  const latency = new LatencyHistogram();
  const inflight = new Set();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let sent = 0;
  try {
    while (sent < count) {
      while (inflight.size >= 2) await Promise.race(inflight);
      const n = Math.min(batch, count - sent);
      const t0 = performance.now();
      const p = producer
        .send({
          topic,
          messages: n === batch ? messages : messages.slice(0, n),
          acks: -1,
          compression: CompressionTypes.LZ4,
        })
        .then(() => {
          const ms = performance.now() - t0;
          for (let i = 0; i < n; i++) latency.recordMs(ms);
          inflight.delete(p);
        });
      inflight.add(p);
      sent += n;
    }
    await Promise.all(inflight);
  } finally {
    await producer.disconnect();
  }
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ...parseSummary(
      formatPerfSummary({ records: count, bytes: count * recordSize, elapsedMs }, latency.summary()),
    ),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

const CONTENDERS = {
  java: { label: 'kafka ProducerPerformance', run: (topic) => runJava(libs, topic) },
  ours: { label: 'tributary (defaults)', run: (topic) => runOurs(topic) },
  single: { label: 'tributary (senderThreads 0)', run: (topic) => runOurs(topic, { senderThreads: 0 }) },
  threads1: { label: 'tributary (senderThreads 1)', run: (topic) => runOurs(topic, { senderThreads: 1 }) },
  threads2: { label: 'tributary (senderThreads 2)', run: (topic) => runOurs(topic, { senderThreads: 2 }) },
  headers: { label: 'tributary (headers)', run: (topic) => runOurs(topic, { recordHeaders: true }) },
  producers: { label: 'tributary (4 producers)', run: (topic) => runOurs(topic, { producers: 4 }) },
  kafkajs: { label: 'kafkajs alone (pre-built)', run: (topic) => runKafkajsAlone(topic) },
  baseline: { label: 'tributary (baseline build)', run: (topic) => runOurs(topic, {}, baselineRunLoad) },
};

let result;
/** Writes the results so far (after every round: a failing later round keeps the earlier ones). */
function save() {
  const ratioOf = (name) => {
    const all = rounds.map((r) => r.ratios[name]);
    return {
      min: Math.min(...all),
      max: Math.max(...all),
      mean: all.reduce((a, b) => a + b, 0) / all.length,
    };
  };
  result = {
    date: new Date().toISOString(),
    environment: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      kafkaTools: KAFKA_VERSION,
      brokers,
    },
    workload: { count, partitions, recordSize, acks: 'all', compression: 'lz4', throughput: 'unthrottled' },
    variants,
    baseline: values.baseline,
    rounds,
    ratio: Object.fromEntries(variants.map((name) => [name, ratioOf(name)])),
  };
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
}

const libs = resolveKafkaLibs();
const { Kafka, logLevel } = kafkajs;
const admin = new Kafka({ clientId: 'tributary-bench', brokers, logLevel: logLevel.NOTHING }).admin();
await admin.connect();
const created = [];
const rounds = [];
try {
  for (let round = 1; round <= runs; round++) {
    const suffix = `${Date.now().toString(36)}-${round}`;
    const order = round % 2 === 1 ? ['java', ...variants] : [...variants, 'java'];
    const load = loadavg()[0];
    const results = {};
    for (const name of order) {
      const topic = `bench-${name}-${suffix}`;
      await createTopic(admin, topic);
      created.push(topic);
      results[name] = { ...(await CONTENDERS[name].run(topic)), loadAverage1mAfter: loadavg()[0] };
      console.log(`round ${round} ${CONTENDERS[name].label.padEnd(27)} ${results[name].summary}`);
    }
    const ratios = Object.fromEntries(
      variants.map((name) => [name, results[name].recordsPerSec / results.java.recordsPerSec]),
    );
    rounds.push({ round, order, loadAverage1m: load, ...results, ratios });
    save();
  }
} finally {
  try {
    await admin.deleteTopics({ topics: created, timeout: 30_000 });
  } catch {
    // best effort
  }
  await admin.disconnect();
}

const perRecordUs = (r) => (r.cpuSeconds === undefined ? '–' : ((r.cpuSeconds * 1e6) / r.records).toFixed(1));
console.log('');
console.log(
  `| round | load avg | Kafka ProducerPerformance rec/s (CPU µs/rec) | ${variants
    .map((v) => `${CONTENDERS[v].label} rec/s (CPU µs/rec) | ratio`)
    .join(' | ')} |`,
);
console.log(`|---|---|---|${variants.map(() => '---|---|').join('')}`);
for (const r of rounds) {
  console.log(
    `| ${r.round} | ${r.loadAverage1m.toFixed(1)} | ${r.java.recordsPerSec.toFixed(0)} (${perRecordUs(r.java)}) | ${variants
      .map((v) => `${r[v].recordsPerSec.toFixed(0)} (${perRecordUs(r[v])}) | ${r.ratios[v].toFixed(2)}`)
      .join(' | ')} |`,
  );
}
console.log('');
for (const v of variants) {
  const x = result.ratio[v];
  console.log(
    `ratio ${CONTENDERS[v].label} / Kafka: mean ${x.mean.toFixed(2)} (min ${x.min.toFixed(2)}, max ${x.max.toFixed(2)})`,
  );
}
console.log(`results in ${values.out}`);
