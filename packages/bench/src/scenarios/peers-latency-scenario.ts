import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafkaClient, type Admin } from '@tributary/kafka';
import { decodeWindowResult } from '@tributary/schema';
import { installedVersion } from '../report/environment.js';
import { summarizeResources } from '../resources/resource-summary.js';
import { ResourceSampler } from '../resources/resource-sampler.js';
import type { ChildJob } from '../run/child-job.js';
import { startChildJob } from '../run/child-job.js';
import { startProcessorChild } from '../run/processor-child.js';
import { runProcessorLaunch, runTopics } from '../run/run-resources.js';
import { TABLE_WORKLOAD_DEFAULTS } from '../run/table-run.js';
import { COUNT_SOURCES, WindowTracker, type WindowCounts } from '../run/window-tracker.js';
import { clickstreamLoadGenerator } from '../run/clickstream-load.js';
import { BENCH_ERROR_CODES, BenchError } from '../errors.js';
import type { Correctness, RunResult } from '../report/results.js';
import { contenderOrder, peersLatencyRun, type ContenderOutcome } from './peers-latency-results.js';
import {
  contenderPeer,
  jvmContenderArgs,
  LATENCY_CONTENDERS,
  latencyContenders,
  type LatencyContender,
} from './latency-contenders.js';
import { committedRecords } from '../run/group-offsets.js';
import { PollingLoop } from '../run/polling-loop.js';
import { committedThroughput, type CommittedReading } from '../run/committed-throughput.js';
import { devstackOptionsFromEnv, resolveDevstackOptions } from '@tributary/devstack';
import {
  assertTool,
  JVM_PEER_SPECS,
  peersDir,
  peerVersion,
  resolvePeerJar,
  type JvmPeer,
} from './peer-jars.js';
import { scenarioRunId, type ScenarioContext } from './scenario-run.js';

/** Workload of `peers-latency`: the `table` workload's rate and windows, and how the peers are configured. */
export interface PeersLatencyWorkload {
  readonly ratePerSec: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly partitions: number;
  readonly windowSizeMs: number;
  readonly outOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  readonly pages: number;
  readonly seed: number;
  readonly compression: 'none' | 'gzip' | 'lz4';
  /** The JVM peers to run beside ours (Flink runs twice: the seed's checkpoints and the tuned interval). */
  readonly peers: readonly JvmPeer[];
  /** Transaction commit interval of ours. */
  readonly processorCommitIntervalMs: number;
  /** Kafka Streams' `commit.interval.ms`. */
  readonly kafkaStreamsCommitIntervalMs: number;
  /** Checkpoint interval of the tuned Flink contender (its KafkaSink commits when a checkpoint completes). */
  readonly flinkCheckpointIntervalMs: number;
  /** Kafka Streams `num.stream.threads` and Flink's parallelism. */
  readonly parallelism: number;
  /** `-Xms`/`-Xmx` of each peer JVM. */
  readonly heap: string;
  readonly javaCommand: string;
  /**
   * Windows closing within this much of the last event are left out: whether they close depends on a record
   * arriving after them in every partition, and neither peer closes windows on an idle timeout.
   */
  readonly tailMarginMs: number;
  /** Give up waiting for the windows after this long past the end of production. */
  readonly settleTimeoutMs: number;
  /** How often each contender's committed input offsets are read (its throughput), ms. */
  readonly offsetPollIntervalMs: number;
}

export const PEERS_LATENCY_DEFAULTS = {
  windowSizeMs: TABLE_WORKLOAD_DEFAULTS.windowSizeMs,
  outOfOrdernessMs: TABLE_WORKLOAD_DEFAULTS.outOfOrdernessMs,
  idleTimeoutMs: TABLE_WORKLOAD_DEFAULTS.idleTimeoutMs,
  pages: TABLE_WORKLOAD_DEFAULTS.pages,
  seed: TABLE_WORKLOAD_DEFAULTS.seed,
  compression: TABLE_WORKLOAD_DEFAULTS.compression,
  /** Kafka Streams' own default under exactly_once_v2. */
  kafkaStreamsCommitIntervalMs: 100,
  checkpointIntervalMs: 1_000,
  /** How often each contender's committed input offsets are read for its throughput. */
  offsetPollIntervalMs: 500,
  parallelism: 1,
  heap: '1g',
  tailMarginMs: 1_000,
  settleTimeoutMs: 60_000,
} as const;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function deleteByPrefix(admin: Admin, id: string): Promise<void> {
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(id));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    // The next contender starts once the broker is done deleting: metadata of a topic being deleted fails its
    // clients with UNKNOWN_TOPIC_OR_PARTITION.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await admin.listTopics()).some((t) => t.startsWith(id)))
      await sleep(250);
  } catch {
    // Best effort: leftovers carry the run id.
  }
  try {
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(id));
    if (groups.length > 0) await admin.deleteGroups(groups);
  } catch {
    // Best effort.
  }
}

interface ContenderInput {
  readonly ctx: ScenarioContext;
  readonly w: PeersLatencyWorkload;
  readonly contender: LatencyContender;
  /** The JVM peer's jar and version (null for ours). */
  readonly jvm: { readonly jar: string; readonly version: string | null } | null;
}

/**
 * One contender on its own topics: start it, produce the open-loop load, read the results topic with a
 * read_committed consumer, wait for the windows that must close, stop it and delete its topics and groups.
 */
async function measureContender(input: ContenderInput): Promise<ContenderOutcome> {
  const { ctx, w, contender } = input;
  const id = `${scenarioRunId('peers-latency')}-${contender}`;
  const topics = runTopics(id);
  const kafka = createKafkaClient({ clientId: id, brokers: [...ctx.brokers], ...ctx.kafkaSecurity?.client });
  const admin = kafka.admin();
  const tracker = new WindowTracker({ outOfOrdernessMs: w.outOfOrdernessMs });
  const observer = kafka.consumer({ groupId: `${id}-observer`, maxWaitTimeInMs: 50 });
  let job: ChildJob | undefined;
  let sampler: ResourceSampler | undefined;
  let stateDir: string | undefined;
  try {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [topics.input, ...(input.jvm === null ? [] : [topics.results])].map((topic) => ({
        topic,
        numPartitions: w.partitions,
        replicationFactor: 1,
      })),
    });
    ctx.log(`peers-latency run ${ctx.run}: starting ${contender} (${id})`);
    if (input.jvm === null) {
      const launch = runProcessorLaunch({
        brokers: ctx.brokers,
        env: ctx.kafkaSecurity?.env,
        id,
        topics,
        windowSizeMs: w.windowSizeMs,
        outOfOrdernessMs: w.outOfOrdernessMs,
        idleTimeoutMs: w.idleTimeoutMs,
        esConnection: ctx.esConnection,
      });
      job = await startProcessorChild(
        { ...launch.config, elasticsearch: false, commitIntervalMs: w.processorCommitIntervalMs },
        undefined,
        undefined,
        launch.env,
      );
    } else {
      const jvmContender = contender as Exclude<LatencyContender, typeof LATENCY_CONTENDERS.TRIBUTARY>;
      const peer = contenderPeer(jvmContender)!;
      stateDir = await mkdtemp(join(tmpdir(), `${id}-state-`));
      job = await startChildJob({
        name: `the ${contender} peer`,
        command: w.javaCommand,
        args: jvmContenderArgs(jvmContender, input.jvm.jar, {
          ...w,
          brokers: ctx.brokers,
          applicationId: id,
          inputTopic: topics.input,
          outputTopic: topics.results,
          stateDir,
        }),
        readyText: JVM_PEER_SPECS[peer].readyLine,
      });
    }

    await observer.connect();
    await observer.subscribe({ topic: topics.results, fromBeginning: true });
    await observer.run({
      eachMessage: async ({ message }) => {
        if (message.value === null) return;
        try {
          const r = decodeWindowResult(message.value);
          if (r.isFinal) tracker.observeKafkaResult(r, Date.now());
        } catch {
          // Not a window result: it counts nowhere, so its window shows up as lost.
        }
      },
    });

    const samplerStartedAt = Date.now();
    sampler = new ResourceSampler({ self: false, targets: [{ component: contender, pid: job.pid }] });
    await sampler.start({ timer: true });

    let measuredFromMs = Date.now() + w.warmupMs;
    // The contender's committed input offsets, read while the load runs: its throughput over the measured window.
    const readings: CommittedReading[] = [];
    const offsetPoller = new PollingLoop(async () => {
      const committed = await committedRecords(admin, id, topics.input).catch(() => null);
      if (committed !== null) readings.push({ atMs: Date.now(), committed });
    }, w.offsetPollIntervalMs);
    offsetPoller.start();
    ctx.log(
      `peers-latency run ${ctx.run}: ${contender}: producing ${w.ratePerSec}/s for ${w.warmupMs + w.durationMs} ms`,
    );
    const report = await clickstreamLoadGenerator(
      {
        brokers: ctx.brokers,
        kafkaSecurity: ctx.kafkaSecurity,
        clientId: `${id}-producer`,
        topic: topics.input,
        partitions: w.partitions,
        ratePerSec: w.ratePerSec,
        warmupMs: w.warmupMs,
        durationMs: w.durationMs,
        progressIntervalMs: 0,
        workload: w,
      },
      (wall) => (measuredFromMs = wall + w.warmupMs),
    )
      .run()
      .finally(() => offsetPoller.stop());
    const measuredUntilMs = measuredFromMs + w.durationMs;
    const closingBy = measuredUntilMs - w.tailMarginMs;
    const check = { source: COUNT_SOURCES.KAFKA, closingBy };
    const expected: readonly WindowCounts[] = report.manifest.windows;
    const settleUntil = Date.now() + w.settleTimeoutMs;
    while (!tracker.complete(expected, check) && Date.now() < settleUntil) {
      const exited = job.exited();
      if (exited !== undefined) {
        throw new BenchError(
          BENCH_ERROR_CODES.IO,
          `${contender} exited (${exited}) before its windows were committed: ${job.stderrTail().slice(-600)}`,
        );
      }
      await sleep(250);
    }
    if (!tracker.complete(expected, check)) {
      ctx.log(
        `peers-latency run ${ctx.run}: ${contender}: not every window was committed after ${w.settleTimeoutMs} ms; the correctness figures say what is missing`,
      );
    }
    const samples = await sampler.stop();
    const inWindow = samples.filter(
      (s) => s.tMs > measuredFromMs - samplerStartedAt && s.tMs <= measuredUntilMs - samplerStartedAt,
    );
    const resources = summarizeResources(inWindow)[0];
    const inScope = expected.filter((x) => x.windowEnd + w.outOfOrdernessMs <= closingBy);
    const correctness: Correctness = tracker.correctness(
      expected,
      {
        produced: inScope.reduce((sum, x) => sum + x.clickCount + x.viewCount, 0),
        late: report.manifest.totals.late,
        deadLettered: report.manifest.totals.deadLettered,
      },
      check,
    );
    const latency = tracker.latencies(closingBy, measuredFromMs).resultInKafka;
    ctx.log(
      `peers-latency run ${ctx.run}: ${contender}: ${latency.totalCount} windows measured, lost ${correctness.lost}, duplicated ${correctness.duplicated}`,
    );
    return {
      contender,
      version: input.jvm === null ? installedVersion('@tributary/processor') : input.jvm.version,
      startupMs: job.startupMs,
      latency,
      throughputPerSec: committedThroughput(readings, measuredFromMs, measuredUntilMs),
      cpuPercent: resources?.cpuPercentMean ?? null,
      rssMB: resources?.rssMBMax ?? null,
      correctness,
    };
  } finally {
    await sampler?.stop().catch(() => undefined);
    await observer.disconnect().catch(() => undefined);
    await job?.stop().catch(() => undefined);
    await deleteByPrefix(admin, id);
    await admin.disconnect().catch(() => undefined);
    if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
  }
}

/** The jars and versions of the JVM peers, resolved once per scenario (built on the first run). */
export type PeerJars = ReadonlyMap<JvmPeer, { readonly jar: string; readonly version: string | null }>;

/**
 * One run of `peers-latency`: ours (the processor CLI, Kafka only) and each JVM peer in turn, in an order that
 * rotates with the run number, each on its own topics under the same open-loop load; the same probe as the
 * `table` scenario's Processor row (window end + B → final result readable by a read_committed consumer).
 */
export async function runPeersLatencyOnce(
  ctx: ScenarioContext,
  w: PeersLatencyWorkload,
  jars: PeerJars,
  skippedNote?: string,
): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const contenders = latencyContenders(w.peers.filter((p) => jars.has(p)));
  const outcomes: ContenderOutcome[] = [];
  for (const contender of contenderOrder(contenders, ctx.run)) {
    const peer = contenderPeer(contender);
    const jvm = peer === null ? null : jars.get(peer)!;
    outcomes.push(await measureContender({ ctx, w, contender, jvm }));
  }
  const skipped = w.peers.filter((p) => !jars.has(p));
  return peersLatencyRun(
    ctx.run,
    startedAt,
    outcomes,
    w,
    skipped.length === 0 ? undefined : { peers: skipped, note: skippedNote ?? 'not run' },
  );
}

/**
 * The peers' jars (built with Maven on first use, then from the cache) and versions. With Kafka TLS/SASL the JVM
 * peers are skipped (they are not given those settings) and only ours runs; the note says so.
 */
export async function preparePeerJars(
  ctx: ScenarioContext,
  w: Pick<PeersLatencyWorkload, 'peers' | 'javaCommand'>,
  mavenCommand: string,
): Promise<{ readonly jars: PeerJars; readonly skippedNote?: string }> {
  const secured = ctx.kafkaSecurity?.client.ssl !== undefined || ctx.kafkaSecurity?.client.sasl !== undefined;
  if (secured) {
    return {
      jars: new Map(),
      skippedNote: 'the JVM peers run without Kafka TLS/SASL: skipped, only ours ran',
    };
  }
  if (w.peers.length === 0) return { jars: new Map() };
  await assertTool('java', w.javaCommand);
  const cacheDir = join(resolveDevstackOptions(devstackOptionsFromEnv()).cacheDir, 'bench-peers');
  const parentPom = await readFile(join(peersDir(), 'pom.xml'), 'utf8');
  const jars = new Map<JvmPeer, { jar: string; version: string | null }>();
  for (const peer of w.peers) {
    const jar = await resolvePeerJar(peer, { cacheDir, mavenCommand, log: ctx.log });
    jars.set(peer, { jar, version: peerVersion(parentPom, peer) });
  }
  return { jars };
}
