#!/usr/bin/env node
/**
 * The clickstream job (`tributary-processor clickstream`, exactly-once, ES off) against a raw kafkajs consumer
 * reading the SAME pre-loaded topic in the same run (the ceiling), then a paced run measuring window-close latency
 * to the results topic (read_committed) and to Elasticsearch. Both contenders run as child processes so their CPU
 * and RSS are their own (sampled from /proc). Build first: npx nx run-many -t build.
 * Not a test: nothing here asserts on timings.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import hdr from 'hdr-histogram-js';
import { createLz4Codec, kafkajsPatches, loadKafkajs } from '@tributary/kafka';
import { runLoad } from '@tributary/producer';
import { decodeWindowResult, windowDocumentId } from '@tributary/schema';

// The raw consumer child runs kafkajs as shipped (the ceiling); everything else, the fixed kafkajs of @tributary/kafka.
const ROLE = process.argv.includes('--role') ? process.argv[process.argv.indexOf('--role') + 1] : undefined;
const kafkajs = ROLE === 'raw-consumer' ? (await import('kafkajs')).default : loadKafkajs();
const { Kafka, logLevel, CompressionCodecs, CompressionTypes } = kafkajs;
CompressionCodecs[CompressionTypes.LZ4] = () => createLz4Codec();

const SELF = fileURLToPath(import.meta.url);
const CLI = join(dirname(SELF), '..', 'dist', 'cli.js');
const COUNT_JOB = join(dirname(SELF), 'count-job.mjs');
// The processor's consumer settings (createStreamJob defaults; the clickstream CLI does not change them).
const PROCESSOR_FETCH = { maxWaitTimeInMs: 100, partitionsConsumedConcurrently: 4, sessionTimeout: 30_000 };

const HELP = `Usage: npm run bench -w @tributary/processor -- [options]

Throughput (one pre-loaded input topic, read from the beginning by every contender in turn):
  --count <n>                 events pre-loaded with runLoad (rate 0, LZ4) (default 1000000)
  --partitions <n>            partitions of the input topic (default 4)
  --rounds <n>                rounds of raw kafkajs → processor per mode (default 1)
  --modes <list>              processing guarantees to run (default exactly-once,at-least-once)
  --jobs <list>               jobs to run per mode (default count,clickstream): count = bench/count-job.mjs, the
                              issue's plain 1-minute tumbling count per page (public createStreamJob API, no
                              dedup); clickstream = the reference app (dedup, clicks/views, DLQ), ES off
  --baseline <dir>            also run every job from another build of this package (a directory with dist/ and
                              bench/count-job.mjs, e.g. an older commit), same round: before/after side by side
  --cpu-prof                  run the processor child with --cpu-prof (profiles in bench-results/cpu-prof)
  --commit-interval-ms <n>    commit interval of both jobs (default: the job default, 200)
  --processor-args <flags>    extra clickstream CLI flags for every processor run, space-separated
                              (e.g. --processor-args=--full-decode)
  --no-raw-decoding-ceiling   skip the second ceiling: the raw kafkajs consumer with the processor's fetch
                              decoding installed (ratios are always to the stock raw kafkajs consumer)
  --node-flags <flags>        Node/V8 flags of every child, raw consumers and processors alike, space-separated
                              (default --max-semi-space-size=64: a young generation that holds a whole fetch;
                              --node-flags= for Node's defaults)
  --timeout-ms <n>            give up on a contender after this long (default 600000)
  --skip-throughput           only the latency run

Window-close latency (a separate paced run, ES on unless --no-es):
  --latency-rate <n>          events/s (default 5000)
  --latency-duration-ms <n>   load duration (default 75000)
  --window-size-ms <n>        tumbling window of the latency run (default 10000)
  --out-of-orderness-ms <n>   bound B of the latency run (default 5000, the app default)
  --no-es                     latency run without Elasticsearch
  --skip-latency              only the throughput runs

  --brokers <list>            bootstrap servers (default 127.0.0.1:9092)
  --elasticsearch-url <url>   (default http://127.0.0.1:9200)
  --out <file>                results JSON (default bench-results/throughput-vs-kafkajs.json)
  --help                      this help`;

const ARG_OPTIONS = {
  brokers: { type: 'string', default: '127.0.0.1:9092' },
  'elasticsearch-url': { type: 'string', default: 'http://127.0.0.1:9200' },
  count: { type: 'string', default: '1000000' },
  partitions: { type: 'string', default: '4' },
  rounds: { type: 'string', default: '1' },
  modes: { type: 'string', default: 'exactly-once,at-least-once' },
  jobs: { type: 'string', default: 'count,clickstream' },
  'cpu-prof': { type: 'boolean', default: false },
  baseline: { type: 'string' },
  'processor-args': { type: 'string', default: '' },
  'commit-interval-ms': { type: 'string' },
  'timeout-ms': { type: 'string', default: '600000' },
  'skip-throughput': { type: 'boolean', default: false },
  'no-raw-decoding-ceiling': { type: 'boolean', default: false },
  'node-flags': { type: 'string', default: '--max-semi-space-size=64' },
  'latency-rate': { type: 'string', default: '5000' },
  'latency-duration-ms': { type: 'string', default: '75000' },
  'window-size-ms': { type: 'string', default: '10000' },
  'out-of-orderness-ms': { type: 'string', default: '5000' },
  'no-es': { type: 'boolean', default: false },
  'skip-latency': { type: 'boolean', default: false },
  out: { type: 'string', default: 'bench-results/throughput-vs-kafkajs.json' },
  help: { type: 'boolean', short: 'h' },
  // internal: the raw kafkajs consumer child
  role: { type: 'string' },
  topic: { type: 'string' },
  group: { type: 'string' },
};

let values;
try {
  ({ values } = parseArgs({ options: ARG_OPTIONS, strict: true }));
} catch (error) {
  console.error(`${error.message}\n\n${HELP}`);
  process.exit(2);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
function int(name, min = 1) {
  const n = Number(values[name]);
  if (!Number.isSafeInteger(n) || n < min) {
    console.error(`--${name} must be an integer ≥ ${min} (got ${values[name]})`);
    process.exit(2);
  }
  return n;
}
const brokers = values.brokers.split(',').filter((b) => b !== '');
if (brokers.length === 0 || brokers.some((b) => !/^[^:\s]+:\d+$/.test(b))) {
  console.error(`--brokers must be comma-separated host:port (got ${values.brokers})`);
  process.exit(2);
}
const kafka = new Kafka({ clientId: 'tributary-processor-bench', brokers, logLevel: logLevel.NOTHING });

if (values.role === 'raw-consumer' || values.role === 'raw-consumer-fixed') {
  await rawConsumerChild();
  // Stay alive until the parent has taken its last /proc sample and sends SIGTERM.
  setInterval(() => undefined, 60_000);
} else if (values.role !== undefined) {
  console.error(`unknown --role ${values.role}`);
  process.exit(2);
}

const count = int('count');
const partitions = int('partitions');
const rounds = int('rounds');
const timeoutMs = int('timeout-ms', 1000);
const modes = values.modes.split(',').filter((m) => m !== '');
for (const m of modes) {
  if (m !== 'exactly-once' && m !== 'at-least-once') {
    console.error(`--modes: unknown processing guarantee ${m} (exactly-once, at-least-once)`);
    process.exit(2);
  }
}
const jobs = values.jobs.split(',').filter((j) => j !== '');
if (jobs.length === 0 || jobs.some((j) => j !== 'count' && j !== 'clickstream')) {
  console.error(`--jobs must list count and/or clickstream (got ${values.jobs})`);
  process.exit(2);
}
const baselineDir = values.baseline;
if (baselineDir !== undefined) {
  for (const f of ['dist/cli.js', 'bench/count-job.mjs']) {
    try {
      readFileSync(join(baselineDir, f));
    } catch {
      console.error(`--baseline: ${join(baselineDir, f)} not found (build that package first)`);
      process.exit(2);
    }
  }
}
const commitArgs =
  values['commit-interval-ms'] === undefined
    ? []
    : ['--commit-interval-ms', String(int('commit-interval-ms'))];
const latencyRate = int('latency-rate');
const latencyDurationMs = int('latency-duration-ms', 1000);
const windowSizeMs = int('window-size-ms', 1000);
const outOfOrdernessMs = int('out-of-orderness-ms', 0);
const esUrl = values['elasticsearch-url'].replace(/\/+$/, '');
try {
  new URL(esUrl);
} catch {
  console.error(`--elasticsearch-url is not a URL (got ${values['elasticsearch-url']})`);
  process.exit(2);
}

const runId = `bench-proc-${randomBytes(4).toString('hex')}`;
const log = (line) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------- /proc
const CLK_TCK = 100;
function procSample(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSec = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { cpuSec, rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

function spawnChild(args, label) {
  const nodeFlags = values['node-flags'].split(' ').filter((f) => f !== '');
  const child = spawn(process.execPath, [...nodeFlags, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  child.on('error', (error) => log(`${label}: ${error.message}`));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function stopChild(handle) {
  if (handle.child.exitCode === null && handle.child.signalCode === null) handle.child.kill('SIGTERM');
  const timer = setTimeout(() => handle.child.kill('SIGKILL'), 30_000);
  const result = await handle.exited;
  clearTimeout(timer);
  return result;
}

async function endOffsets(admin, topic) {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

// -------------------------------------------------------------------------------- raw kafkajs consumer child
async function rawConsumerChild() {
  const topic = values.topic;
  const admin = kafka.admin();
  await admin.connect();
  const ends = await endOffsets(admin, topic);
  await admin.disconnect();
  const expected = [...ends.values()].reduce((a, b) => a + b, 0);
  const next = new Map([...ends.keys()].map((p) => [p, 0]));
  const consumer = kafka.consumer({
    groupId: values.group,
    readUncommitted: false,
    maxWaitTimeInMs: PROCESSOR_FETCH.maxWaitTimeInMs,
    sessionTimeout: PROCESSOR_FETCH.sessionTimeout,
    heartbeatInterval: 3_000,
    allowAutoTopicCreation: false,
  });
  const startedAt = Date.now();
  let joinedAt;
  let cpuAtJoin;
  let firstRecordAt;
  let records = 0;
  let bytes = 0;
  let finish;
  const finished = new Promise((r) => (finish = r));
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joinedAt ??= Date.now();
    cpuAtJoin ??= process.cpuUsage();
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: PROCESSOR_FETCH.partitionsConsumedConcurrently,
    eachBatch: async ({ batch }) => {
      firstRecordAt ??= Date.now();
      for (const m of batch.messages) bytes += m.value === null ? 0 : m.value.length;
      records += batch.messages.length;
      const last = batch.messages.at(-1);
      if (last !== undefined) next.set(batch.partition, Number(last.offset) + 1);
      if ([...ends].every(([p, end]) => next.get(p) >= end)) finish();
    },
  });
  if (expected === 0) finish();
  await finished;
  const doneAt = Date.now();
  const cpu = process.cpuUsage(cpuAtJoin);
  const steadyCpuSec = (cpu.user + cpu.system) / 1e6;
  await consumer.disconnect();
  // With the fixed kafkajs: what its fetch decoding installed (both parts, or the row is not what it says).
  const fetchDecoding = ROLE === 'raw-consumer-fixed' ? kafkajsPatches().fetchDecoding : null;
  const line = {
    records,
    bytes,
    expected,
    startedAt,
    joinedAt,
    firstRecordAt,
    doneAt,
    steadyCpuSec,
    fetchDecoding,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

// ------------------------------------------------------------------------------------------------- contenders
/** Samples the child's CPU/RSS every 100 ms until `progress()` reports completion; returns the figures. */
async function watch(handle, label, progress) {
  const pid = handle.child.pid;
  const spawnedAt = Date.now();
  const start = procSample(pid) ?? { cpuSec: 0 };
  let first; // { at, done, cpuSec } at the first observed progress
  let last;
  let peakRssMb = 0;
  let lastLog = spawnedAt;
  for (;;) {
    if (handle.child.exitCode !== null || handle.child.signalCode !== null) {
      const { stderr, stdout } = handle.output();
      throw new Error(
        `${label} exited early (${handle.child.exitCode ?? handle.child.signalCode}):\n${stderr.slice(-3000)}${stdout.slice(-1000)}`,
      );
    }
    if (Date.now() - spawnedAt > timeoutMs) throw new Error(`${label}: not done after ${timeoutMs} ms`);
    const sample = procSample(pid);
    const p = await progress();
    const at = Date.now();
    if (sample !== undefined) peakRssMb = Math.max(peakRssMb, sample.hwmMb);
    if (first === undefined && p.started && sample !== undefined)
      first = { at, done: p.done, cpuSec: sample.cpuSec };
    if (at - lastLog >= 5_000) {
      lastLog = at;
      log(`${label}: ${p.done}/${p.total} (${sample?.rssMb.toFixed(0)} MB RSS)`);
    }
    if (p.done >= p.total && sample !== undefined) {
      last = { at, done: p.done, cpuSec: sample.cpuSec };
      break;
    }
    await sleep(100);
  }
  return { spawnedAt, start, first, last, peakRssMb };
}

function figures(label, n, w, extra = {}) {
  const steadyMs = w.last.at - w.first.at;
  const steadyRecords = n - w.first.done;
  const steadyCpu = w.last.cpuSec - w.first.cpuSec;
  const totalMs = w.last.at - w.spawnedAt;
  const r = {
    label,
    records: n,
    totalSec: totalMs / 1000,
    recordsPerSecTotal: Math.round(n / (totalMs / 1000)),
    steadySec: steadyMs / 1000,
    recordsPerSec: Math.round(steadyRecords / (steadyMs / 1000)),
    cpuSecTotal: w.last.cpuSec - w.start.cpuSec,
    cpuPercent: Math.round((steadyCpu / (steadyMs / 1000)) * 100),
    recordsPerCpuSec: Math.round(steadyRecords / steadyCpu),
    peakRssMb: Math.round(w.peakRssMb),
    loadavg1: Number(loadavg()[0].toFixed(1)),
    ...extra,
  };
  log(
    `${label}: ${r.recordsPerSec} rec/s from group join (${r.recordsPerSecTotal} incl. start-up), CPU ${r.cpuPercent}%, ` +
      `${r.recordsPerCpuSec} rec per CPU-second, peak RSS ${r.peakRssMb} MB`,
  );
  return r;
}

async function runRaw(admin, topic, n, processorDecoding = false) {
  const label = processorDecoding ? 'raw kafkajs + processor decoding' : 'raw kafkajs';
  const group = `${runId}-raw-${randomBytes(3).toString('hex')}`;
  const handle = spawnChild(
    [
      SELF,
      '--role',
      processorDecoding ? 'raw-consumer-fixed' : 'raw-consumer',
      '--brokers',
      brokers.join(','),
      '--topic',
      topic,
      '--group',
      group,
    ],
    label,
  );
  // The child tells us its own record count (no group commits); poll its stdout for the final line.
  const w = await watch(handle, label, async () => {
    const done = handle.output().stdout.includes('\n') ? n : 0;
    return { started: done > 0, done, total: n };
  });
  const { stdout } = await stopChild(handle);
  const child = JSON.parse(stdout.trim());
  // The child's own clock and CPU: group joined → all consumed (the parent only saw the end).
  const steadyMs = child.doneAt - child.joinedAt;
  w.first = { at: w.last.at - steadyMs, done: 0, cpuSec: w.last.cpuSec - child.steadyCpuSec };
  await admin.deleteGroups([group]).catch(() => undefined);
  if (processorDecoding && !(child.fetchDecoding?.recordBatchDecoder && child.fetchDecoding?.batch))
    throw new Error(
      `${label}: the fetch decoding was not installed (${JSON.stringify(child.fetchDecoding)})`,
    );
  return figures(label, n, w, {
    fetchDecoding: child.fetchDecoding,
    mbPerSec: Number((child.bytes / 1e6 / (steadyMs / 1000)).toFixed(2)),
    startUpSec: (child.joinedAt - child.startedAt) / 1000,
    firstRecordAfterJoinSec: (child.firstRecordAt - child.joinedAt) / 1000,
  });
}

function processorArgs(job, appId, inputTopic, mode, extra, packageDir = undefined) {
  const args = [];
  if (values['cpu-prof']) {
    const dir = join('bench-results', 'cpu-prof');
    mkdirSync(dir, { recursive: true });
    args.push('--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `${appId}.cpuprofile`);
  }
  if (job === 'count') {
    args.push(
      packageDir === undefined ? COUNT_JOB : join(packageDir, 'bench', 'count-job.mjs'),
      '--brokers',
      brokers.join(','),
      '--application-id',
      appId,
      '--input-topic',
      inputTopic,
    );
    args.push('--processing-guarantee', mode, ...commitArgs);
    return args;
  }
  args.push(
    packageDir === undefined ? CLI : join(packageDir, 'dist', 'cli.js'),
    'clickstream',
    '--brokers',
    brokers.join(','),
    '--application-id',
    appId,
    '--input-topic',
    inputTopic,
    '--results-topic',
    `${appId}-results`,
    '--late-topic',
    `${appId}-late`,
    '--dead-letter-topic',
    `${appId}-dlq`,
    '--repartition-topic',
    `${appId}-repartition`,
    '--processing-guarantee',
    mode,
    ...commitArgs,
    ...extra,
    ...values['processor-args'].split(' ').filter((a) => a !== ''),
  );
  return args;
}

async function runProcessor(admin, topic, n, ends, job, mode, packageDir = undefined) {
  const appId = `${runId}-${job}-${mode === 'exactly-once' ? 'eos' : 'alo'}-${randomBytes(3).toString('hex')}`;
  const label = `${job} ${mode}${packageDir === undefined ? '' : ' (baseline)'}`;
  const handle = spawnChild(
    processorArgs(job, appId, topic, mode, ['--no-elasticsearch'], packageDir),
    label,
  );
  let w;
  let produced;
  try {
    // Stage 1 commits its input offsets (in the transaction, or after the outputs are acked): watch them.
    let joined = false;
    w = await watch(handle, label, async () => {
      if (!joined) {
        // Measure from the moment stage 1's group is Stable (as for the raw consumer's GROUP_JOIN).
        const [group] = (await admin.describeGroups([appId])).groups;
        joined = group?.state === 'Stable';
        if (!joined) return { started: false, done: 0, total: n };
      }
      const [committed] = await admin.fetchOffsets({ groupId: appId, topics: [topic] });
      let done = 0;
      for (const { partition, offset } of committed?.partitions ?? []) {
        done += Math.min(Math.max(Number(offset), 0), ends.get(partition) ?? 0);
      }
      return { started: true, done, total: n };
    });
    produced = await producedRecords(admin, appId);
    // The preload is all valid: dead letters mean the figures measure the dead-letter path (end offsets, markers incl.).
    if ((produced.dlq ?? 0) > 0) log(`${label}: WARNING ${produced.dlq} records on the dead-letter topic`);
  } finally {
    const exit = await stopChild(handle);
    if (exit.code !== 0 && w !== undefined)
      log(`${label} exited ${exit.code ?? exit.signal}: ${exit.stderr.slice(-500)}`);
    await cleanupApp(admin, appId);
  }
  return figures(label, n, w, { applicationId: appId, producedRecords: produced });
}

/** Records the job wrote per output topic (end offsets incl. transaction markers), changelogs and repartition too. */
async function producedRecords(admin, appId) {
  const out = {};
  for (const topic of (await admin.listTopics()).filter((t) => t.startsWith(appId))) {
    const ends = await endOffsets(admin, topic);
    out[topic.slice(appId.length + 1)] = [...ends.values()].reduce((a, b) => a + b, 0);
  }
  return out;
}

async function cleanupApp(admin, appId) {
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(appId));
  if (topics.length > 0)
    await admin.deleteTopics({ topics }).catch((e) => log(`delete topics: ${e.message}`));
  const groups = [appId, `${appId}-merge`, `${appId}-elasticsearch`];
  await admin.deleteGroups(groups).catch(() => undefined);
}

// -------------------------------------------------------------------------------------------- latency run
function histogram() {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000,
    numberOfSignificantValueDigits: 3,
  });
}
function summarize(h, negatives = 0) {
  return {
    count: h.totalCount,
    p50Ms: h.getValueAtPercentile(50),
    p90Ms: h.getValueAtPercentile(90),
    p99Ms: h.getValueAtPercentile(99),
    maxMs: h.maxValue,
    negativesClampedToZero: negatives,
  };
}

async function esRequest(method, path, body) {
  const res = await fetch(`${esUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** The embedded connector's daily index of a window document (UTC of window_start). */
function esIndex(prefix, windowStart) {
  const d = new Date(windowStart);
  const pad = (v) => String(v).padStart(2, '0');
  return `${prefix}-${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`;
}

async function runLatency(admin) {
  const useEs = !values['no-es'];
  const appId = `${runId}-lat`;
  const topic = `${appId}-input`;
  const B = outOfOrdernessMs;
  const reader = kafka.consumer({ groupId: `${appId}-reader`, readUncommitted: false, maxWaitTimeInMs: 100 });
  const kafkaH = histogram();
  const esAckH = histogram();
  const esSearchH = histogram();
  const neg = { kafka: 0, ack: 0, search: 0 };
  const record = (h, key, v) => {
    if (v < 0) neg[key] += 1;
    h.recordValue(Math.max(1, Math.round(v)));
  };
  let includeUntil = Infinity; // windows closing later than the last event time are closed by idleness: excluded
  const arrivals = []; // { closeAt, arrivedAt, id, index }
  const pendingAck = new Map();
  const pendingSearch = new Map();
  let results = 0;
  let stopPolling = false;
  let esPoller = Promise.resolve();
  let handle;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    });
    handle = spawnChild(
      processorArgs('clickstream', appId, topic, 'exactly-once', [
        '--window-size-ms',
        String(windowSizeMs),
        '--out-of-orderness-ms',
        String(B),
        ...(useEs ? ['--elasticsearch-url', esUrl, '--index-prefix', appId] : ['--no-elasticsearch']),
      ]),
      'processor latency',
    );
    // Wait until the job has joined and created its results topic.
    const readyBy = Date.now() + 120_000;
    for (;;) {
      if (handle.child.exitCode !== null)
        throw new Error(`processor exited: ${handle.output().stderr.slice(-2000)}`);
      if (Date.now() > readyBy) throw new Error('processor did not become ready within 120 s');
      const topics = await admin.listTopics();
      const [group] = (await admin.describeGroups([appId])).groups;
      if (topics.includes(`${appId}-results`) && group?.state === 'Stable') break;
      await sleep(250);
    }
    await reader.connect();
    await reader.subscribe({ topics: [`${appId}-results`], fromBeginning: true });
    await reader.run({
      eachBatch: async ({ batch }) => {
        const arrivedAt = Date.now();
        for (const m of batch.messages) {
          const r = decodeWindowResult(m.value);
          results += 1;
          if (!r.isFinal) continue;
          const closeAt = r.windowEnd + B;
          const entry = {
            closeAt,
            arrivedAt,
            id: windowDocumentId(r.pageUrl, r.windowStart),
            index: esIndex(appId, r.windowStart),
          };
          arrivals.push(entry);
          if (useEs) pendingAck.set(entry.id, entry);
        }
      },
    });
    if (useEs) {
      esPoller = (async () => {
        while (!stopPolling) {
          await sleep(200);
          const ack = [...pendingAck.values()].slice(0, 2000);
          if (ack.length > 0) {
            const { body } = await esRequest('POST', '/_mget?_source=false', {
              docs: ack.map((e) => ({ _index: e.index, _id: e.id })),
            });
            const at = Date.now();
            for (const doc of body?.docs ?? []) {
              if (!doc.found) continue;
              const e = pendingAck.get(doc._id);
              pendingAck.delete(doc._id);
              e.ackAt = at;
              pendingSearch.set(e.id, e);
            }
          }
          const search = [...pendingSearch.values()].slice(0, 2000);
          if (search.length > 0) {
            const { body } = await esRequest('POST', `/${appId}/_search`, {
              size: search.length,
              _source: false,
              query: { ids: { values: search.map((e) => e.id) } },
            });
            const at = Date.now();
            for (const hit of body?.hits?.hits ?? []) {
              const e = pendingSearch.get(hit._id);
              if (e === undefined) continue;
              pendingSearch.delete(hit._id);
              e.searchAt = at;
            }
          }
        }
      })();
    }
    log(
      `latency run: ${latencyRate} ev/s for ${latencyDurationMs / 1000} s, ${windowSizeMs / 1000} s windows, B = ${B} ms, ES ${useEs ? 'on' : 'off'}`,
    );
    const loadStart = Date.now();
    const report = await runLoad({
      brokers,
      topic,
      createTopic: false,
      partitions,
      rate: latencyRate,
      durationMs: latencyDurationMs,
      compression: 'lz4',
      windowSizeMs,
      outOfOrdernessMs: B,
      eventTimeOriginMs: loadStart,
    });
    // The merge watermark is the minimum over the partitions; the last window closed by data ends at or before it.
    includeUntil = loadStart + latencyDurationMs - 1000;
    const expected = report.manifest.windows.filter((w) => w.windowEnd + B <= includeUntil).length;
    log(`latency run: load done (${report.summary.split(',')[0]}); waiting for ${expected} final results`);
    const waitBy = Date.now() + 60_000;
    const counted = () => arrivals.filter((e) => e.closeAt <= includeUntil);
    while (Date.now() < waitBy) {
      const got = counted();
      const esDone = !useEs || got.every((e) => e.searchAt !== undefined);
      if (got.length >= expected && esDone) break;
      await sleep(500);
    }
    stopPolling = true;
    await esPoller;
    const got = counted();
    for (const e of got) {
      record(kafkaH, 'kafka', e.arrivedAt - e.closeAt);
      if (e.ackAt !== undefined) record(esAckH, 'ack', e.ackAt - e.closeAt);
      if (e.searchAt !== undefined) record(esSearchH, 'search', e.searchAt - e.closeAt);
    }
    // Per window: when its first and last final result became readable (a window's results share transactions).
    const perWindow = new Map();
    for (const e of got) {
      const w = perWindow.get(e.closeAt) ?? {
        windowEnd: e.closeAt - B,
        results: 0,
        firstMs: Infinity,
        lastMs: 0,
      };
      w.results += 1;
      w.firstMs = Math.min(w.firstMs, e.arrivedAt - e.closeAt);
      w.lastMs = Math.max(w.lastMs, e.arrivedAt - e.closeAt);
      perWindow.set(e.closeAt, w);
    }
    const windows = perWindow.size;
    const out = {
      rate: latencyRate,
      durationMs: latencyDurationMs,
      windowSizeMs,
      outOfOrdernessMs: B,
      produced: report.sent,
      // Event time = intended send time, so the producer's delay until Kafka has an event is part of the latency.
      producerAckLatency: { p50Ms: report.latency.p50Ms, p99Ms: report.latency.p99Ms },
      resultsRead: results,
      expectedFinalResults: expected,
      finalResultsMeasured: got.length,
      windowsMeasured: windows,
      perWindow: [...perWindow.values()].sort((a, b) => a.windowEnd - b.windowEnd),
      kafkaCommitted: summarize(kafkaH, neg.kafka),
      ...(useEs
        ? { esAcknowledged: summarize(esAckH, neg.ack), esSearchable: summarize(esSearchH, neg.search) }
        : {}),
      loadavg1: Number(loadavg()[0].toFixed(1)),
    };
    log(
      `window-close latency (end + B → readable in ${appId}-results): p50 ${out.kafkaCommitted.p50Ms} ms, ` +
        `p99 ${out.kafkaCommitted.p99Ms} ms over ${got.length}/${expected} final results in ${windows} windows`,
    );
    if (useEs) {
      log(
        `  → ES acknowledged (realtime GET): p50 ${out.esAcknowledged.p50Ms} ms, p99 ${out.esAcknowledged.p99Ms} ms (${out.esAcknowledged.count})`,
      );
      log(
        `  → ES searchable: p50 ${out.esSearchable.p50Ms} ms, p99 ${out.esSearchable.p99Ms} ms (${out.esSearchable.count})`,
      );
    }
    return out;
  } finally {
    stopPolling = true;
    await esPoller.catch(() => undefined);
    await reader.disconnect().catch(() => undefined);
    if (handle !== undefined) await stopChild(handle);
    await admin.deleteGroups([`${appId}-reader`]).catch(() => undefined);
    await cleanupApp(admin, appId);
    if (useEs) {
      const { body } = await esRequest('GET', `/${appId}-*`).catch(() => ({ body: undefined }));
      for (const index of Object.keys(body ?? {}))
        await esRequest('DELETE', `/${index}`).catch(() => undefined);
      await esRequest('DELETE', `/_index_template/${appId}`).catch(() => undefined);
    }
  }
}

// ------------------------------------------------------------------------------------------------------ main
const admin = kafka.admin();
await admin.connect();
const results = {
  runId,
  node: process.version,
  cpus: cpus().length,
  startedAt: new Date().toISOString(),
  count,
  partitions,
  nodeFlags: values['node-flags'],
  rounds: [],
};
const inputTopic = `${runId}-input`;
let exitCode = 0;
try {
  if (!values['skip-throughput']) {
    log(`pre-loading ${count} events into ${inputTopic} (${partitions} partitions, LZ4, rate 0)`);
    const load = await runLoad({
      brokers,
      topic: inputTopic,
      partitions,
      rate: 0,
      count,
      compression: 'lz4',
    });
    log(`pre-load: ${load.summary}`);
    results.preload = { sent: load.sent, bytes: load.bytes, recordsPerSec: Math.round(load.recordsPerSec) };
    const ends = await endOffsets(admin, inputTopic);
    const n = [...ends.values()].reduce((a, b) => a + b, 0);
    for (let round = 1; round <= rounds; round++) {
      const r = { round, raw: await runRaw(admin, inputTopic, n) };
      if (!values['no-raw-decoding-ceiling']) {
        const d = await runRaw(admin, inputTopic, n, true);
        r['raw kafkajs + processor decoding'] = {
          ...d,
          ratio: Number((d.recordsPerSec / r.raw.recordsPerSec).toFixed(2)),
        };
      }
      for (const mode of modes) {
        for (const job of jobs) {
          const key = `${job} ${mode}`;
          const p = await runProcessor(admin, inputTopic, n, ends, job, mode);
          const ceiling = r['raw kafkajs + processor decoding'];
          r[key] = {
            ...p,
            ratio: Number((p.recordsPerSec / r.raw.recordsPerSec).toFixed(2)),
            ratioPerCpuSec: Number((p.recordsPerCpuSec / r.raw.recordsPerCpuSec).toFixed(2)),
            ...(ceiling && {
              ratioToDecodingCeiling: Number((p.recordsPerSec / ceiling.recordsPerSec).toFixed(2)),
            }),
          };
          log(
            `round ${round}: ${key} / raw kafkajs = ${r[key].ratio} (target ≥ 0.7), per CPU-second ${r[key].ratioPerCpuSec}` +
              (ceiling ? `; / raw kafkajs + processor decoding = ${r[key].ratioToDecodingCeiling}` : ''),
          );
          if (baselineDir !== undefined) {
            const b = await runProcessor(admin, inputTopic, n, ends, job, mode, baselineDir);
            const bkey = `${key} (baseline)`;
            r[bkey] = { ...b, ratio: Number((b.recordsPerSec / r.raw.recordsPerSec).toFixed(2)) };
            log(`round ${round}: ${bkey} / raw kafkajs = ${r[bkey].ratio}`);
          }
        }
      }
      results.rounds.push(r);
    }
  }
  if (!values['skip-latency']) {
    // A fresh admin: kafkajs' metadata of the one above still lists the topics deleted after each run.
    const latencyAdmin = kafka.admin();
    await latencyAdmin.connect();
    try {
      results.latency = await runLatency(latencyAdmin);
    } finally {
      await latencyAdmin.disconnect();
    }
  }
} catch (error) {
  log(`bench failed: ${error.stack ?? error.message}`);
  exitCode = 1;
} finally {
  await admin.disconnect();
  if (!values['skip-throughput']) {
    // A fresh admin (see above), so the delete is not refused over stale metadata.
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup
      .deleteTopics({ topics: [inputTopic] })
      .catch((error) => log(`could not delete ${inputTopic}: ${error.message}`));
    await cleanup.disconnect();
  }
}
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
process.exit(exitCode);
