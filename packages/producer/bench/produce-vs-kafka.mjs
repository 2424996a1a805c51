#!/usr/bin/env node
/**
 * Sustained produce rate of @tributary/producer (kafkajs, idempotent, acks=all, LZ4) against Apache Kafka's own
 * org.apache.kafka.tools.ProducerPerformance on the same broker, same record count and size, run one after the
 * other in one invocation; reported as a ratio (ours / Kafka). Build first: npx nx build @tributary/producer.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, loadavg, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import kafkajs from 'kafkajs';
import { LatencyHistogram, formatPerfSummary, registerLz4Codec, runLoad } from '../dist/index.js';

const KAFKA_VERSION = '3.9.1';
const HELP = `Usage: npm run bench -w @tributary/producer -- [options]

  --brokers <list>     bootstrap servers (default 127.0.0.1:9092)
  --count <n>          records per run (default 500000)
  --runs <n>           rounds; each round runs Kafka's ProducerPerformance then ours (default 1)
  --partitions <n>     partitions of each (fresh) topic (default 4)
  --record-size <n>    ProducerPerformance --record-size (default 90, our mean encoded event is ~91 B)
  --kafka-libs <dir>   directory of kafka-tools ${KAFKA_VERSION} jars (default: resolved with Maven into ~/.cache)
  --out <file>         results JSON (default bench-results/produce-vs-kafka.json)
  --help               this help
Environment: TRIBUTARY_KAFKA_LIBS = --kafka-libs.`;

const { values } = parseArgs({
  options: {
    brokers: { type: 'string', default: '127.0.0.1:9092' },
    count: { type: 'string', default: '500000' },
    runs: { type: 'string', default: '1' },
    partitions: { type: 'string', default: '4' },
    'record-size': { type: 'string', default: '90' },
    'kafka-libs': { type: 'string' },
    out: { type: 'string', default: 'bench-results/produce-vs-kafka.json' },
    help: { type: 'boolean' },
  },
});
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

async function createTopic(admin, topic) {
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
  });
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
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out
        .trim()
        .split('\n')
        .filter((l) => SUMMARY.test(l))
        .pop();
      if (code !== 0 || last === undefined)
        reject(new Error(`ProducerPerformance exited ${code}: ${err.slice(-2000)}`));
      else resolve(parseSummary(last));
    });
  });
}

async function runOurs(topic, extra = {}) {
  const before = process.cpuUsage();
  const report = await runLoad({
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
  return parseSummary(
    formatPerfSummary(
      { records: count, bytes: count * recordSize, elapsedMs: performance.now() - start },
      latency.summary(),
    ),
  );
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
    const topics = {
      java: `bench-java-${suffix}`,
      ours: `bench-ours-${suffix}`,
      oursHeaders: `bench-ours-h-${suffix}`,
      oursProducers: `bench-ours-p4-${suffix}`,
      kafkajs: `bench-kafkajs-${suffix}`,
    };
    for (const t of Object.values(topics)) {
      await createTopic(admin, t);
      created.push(t);
    }
    const load = loadavg()[0];
    const java = await runJava(libs, topics.java);
    console.log(`round ${round} kafka ProducerPerformance: ${java.summary}`);
    const ours = await runOurs(topics.ours);
    console.log(`round ${round} tributary (defaults):      ${ours.summary}`);
    const oursHeaders = await runOurs(topics.oursHeaders, { recordHeaders: true });
    console.log(`round ${round} tributary (headers):       ${oursHeaders.summary}`);
    const oursProducers = await runOurs(topics.oursProducers, { producers: 4 });
    console.log(`round ${round} tributary (4 producers):   ${oursProducers.summary}`);
    const kafkajsAlone = await runKafkajsAlone(topics.kafkajs);
    console.log(`round ${round} kafkajs alone (pre-built):  ${kafkajsAlone.summary}`);
    rounds.push({
      round,
      loadAverage1m: load,
      java,
      ours,
      oursHeaders,
      oursProducers,
      kafkajsAlone,
      ratio: ours.recordsPerSec / java.recordsPerSec,
      ratioHeaders: oursHeaders.recordsPerSec / java.recordsPerSec,
      ratioProducers: oursProducers.recordsPerSec / java.recordsPerSec,
      ratioKafkajsAlone: kafkajsAlone.recordsPerSec / java.recordsPerSec,
    });
  }
} finally {
  try {
    await admin.deleteTopics({ topics: created, timeout: 30_000 });
  } catch {
    // best effort
  }
  await admin.disconnect();
}

const ratios = rounds.map((r) => r.ratio);
const result = {
  date: new Date().toISOString(),
  environment: {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    kafkaTools: KAFKA_VERSION,
    brokers,
  },
  workload: { count, partitions, recordSize, acks: 'all', compression: 'lz4', throughput: 'unthrottled' },
  rounds,
  ratio: {
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    mean: ratios.reduce((a, b) => a + b, 0) / ratios.length,
  },
};
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
console.log('');
console.log(
  '| round | load avg | Kafka ProducerPerformance rec/s | tributary rec/s (defaults) | ratio | tributary (headers) | ratio | tributary (4 producers) | ratio | kafkajs alone | ratio |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rounds) {
  console.log(
    `| ${r.round} | ${r.loadAverage1m.toFixed(1)} | ${r.java.recordsPerSec.toFixed(0)} | ${r.ours.recordsPerSec.toFixed(0)} | ${r.ratio.toFixed(2)} | ` +
      `${r.oursHeaders.recordsPerSec.toFixed(0)} | ${r.ratioHeaders.toFixed(2)} | ` +
      `${r.oursProducers.recordsPerSec.toFixed(0)} | ${r.ratioProducers.toFixed(2)} | ${r.kafkajsAlone.recordsPerSec.toFixed(0)} | ${r.ratioKafkajsAlone.toFixed(2)} |`,
  );
}
console.log(
  `\nratio (ours with defaults / Kafka): mean ${result.ratio.mean.toFixed(2)} (min ${result.ratio.min.toFixed(2)}, max ${result.ratio.max.toFixed(2)}); results in ${values.out}`,
);
