import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { elasticsearchClientOptions, type ElasticsearchConnectionValues } from '@tributary/es-sink';
import type { LatencyHistogram } from '@tributary/producer';
import { clickstreamLoadGenerator } from './clickstream-load.js';
import { ELASTICSEARCH_WARMUP_DEFAULTS, warmElasticsearch } from './elasticsearch-warmup.js';
import { decodeWindowResult, EVENT_TIME_DEFAULTS } from '@tributary/schema';
import { createKafkaClient } from '@tributary/kafka';
import { channels, publish } from '../diagnostics.js';
import { BENCH_ERROR_CODES, BenchError } from '../errors.js';
import { LATENCY_DEFINITIONS } from '../report/method.js';
import { installedVersion } from '../report/environment.js';
import type { ComponentRow, LatencyFigures, RunResult, Series } from '../report/results.js';
import { summarize } from '../histograms/percentiles.js';
import { EventLoopDelayMonitor, type EventLoopDelayFigures } from '../resources/event-loop-delay.js';
import { ResourceSampler, type ResourceTarget } from '../resources/resource-sampler.js';
import { PROBE_HISTOGRAMS } from '../probe/probe-protocol.js';
import { summarizeResources, type ResourceSummary } from '../resources/resource-summary.js';
import type { ProcessorChild } from './processor-child.js';
import type { BenchKafkaSecurity } from '../scenarios/scenario-run.js';
import { RawSearchablePoller } from './raw-searchable-poller.js';
import { deleteRunResources, rawEventsAlias, runTopics, startRunProcessor } from './run-resources.js';
import { SearchablePoller } from './searchable-poller.js';
import { WindowTracker } from './window-tracker.js';

/** Workload of the `table` scenario beyond rate, duration and partitions. */
export interface TableWorkload {
  /** Tumbling window size, ms. */
  readonly windowSizeMs: number;
  /** Out-of-orderness bound B, ms: a window closes at window end + B at the earliest. */
  readonly outOfOrdernessMs: number;
  /** Processing time without data before a partition counts as idle (lets the last windows close), ms. */
  readonly idleTimeoutMs: number;
  /** Distinct page URLs (Zipf-distributed). */
  readonly pages: number;
  readonly seed: number;
  /** How often Elasticsearch is searched for new final window documents, ms. */
  readonly pollIntervalMs: number;
  readonly sampleIntervalMs: number;
  /** Producer compression. */
  readonly compression: 'none' | 'gzip' | 'lz4';
  /** Run the processor with `--enriched-events` and time the raw-event path (indexed and searchable). */
  readonly rawEvents: boolean;
  /** Run the processor with `--low-latency` (window results indexed by the merge stage, at-least-once). */
  readonly lowLatency: boolean;
}

/**
 * Defaults of the `table` scenario: the seed's out-of-orderness bound and page count, 10 s windows so a 60 s run
 * closes several, and the producer's default LZ4 compression (the processor and its connector register the codec).
 */
export const TABLE_WORKLOAD_DEFAULTS: TableWorkload = {
  windowSizeMs: 10_000,
  outOfOrdernessMs: EVENT_TIME_DEFAULTS.outOfOrdernessMs,
  idleTimeoutMs: 5_000,
  pages: 500,
  seed: 42,
  pollIntervalMs: 250,
  sampleIntervalMs: 1_000,
  compression: 'lz4',
  rawEvents: true,
  lowLatency: false,
};

/** A server the run talks to: what is known about it (from the devstack). */
export interface ServerInfo {
  readonly version: string | null;
  /** Spawn → healthy, null when the server was reused. */
  readonly startupMs: number | null;
  readonly pid: number | undefined;
}

export interface TableRunInput {
  readonly run: number;
  readonly brokers: readonly string[];
  readonly esConnection: ElasticsearchConnectionValues;
  /** Kafka TLS/SASL; none: plaintext. */
  readonly kafkaSecurity?: BenchKafkaSecurity | undefined;
  readonly ratePerSec: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly partitions: number;
  readonly kafka: ServerInfo;
  readonly elasticsearch: ServerInfo;
  readonly workload?: Partial<TableWorkload>;
  /** Give up waiting for the last windows after this long past the end of production. */
  readonly settleTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

function figures(h: LatencyHistogram): LatencyFigures | null {
  if (h.totalCount === 0) return null;
  const s = summarize(h);
  return { p50: s.p50, p99: s.p99, p99_9: s.p99_9, max: s.max };
}

function loopDelay(
  f: EventLoopDelayFigures | null,
): Pick<ComponentRow, 'eventLoopDelayP50Ms' | 'eventLoopDelayP99Ms' | 'eventLoopDelayMaxMs'> {
  return {
    eventLoopDelayP50Ms: f?.p50 ?? null,
    eventLoopDelayP99Ms: f?.p99 ?? null,
    eventLoopDelayMaxMs: f?.max ?? null,
  };
}

const NO_LOOP = loopDelay(null);

function resourceOf(
  summaries: readonly ResourceSummary[],
  component: string,
): Pick<ComponentRow, 'cpuPercent' | 'rssMB'> {
  const s = summaries.find((r) => r.component === component);
  return { cpuPercent: s?.cpuPercentMean ?? null, rssMB: s?.rssMBMax ?? null };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One run of the `table` scenario on real servers, with topics, consumer groups and an index of its own (random
 * suffix), removed afterwards: the processor CLI in a child process, the producer's open-loop load generator, a
 * read_committed consumer on the results topic and a poller searching Elasticsearch for final window documents.
 */
export async function runTableOnce(input: TableRunInput): Promise<RunResult> {
  const w = { ...TABLE_WORKLOAD_DEFAULTS, ...input.workload };
  const log = (line: string): void => {
    input.log?.(line);
    publish(channels.progress, () => ({ run: input.run, line }));
  };
  const id = `bench-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const topics = runTopics(id);
  const startedAt = new Date().toISOString();
  publish(channels.runStart, () => ({
    run: input.run,
    id,
    ratePerSec: input.ratePerSec,
    durationMs: input.durationMs,
    warmupMs: input.warmupMs,
    partitions: input.partitions,
  }));
  const kafka = createKafkaClient({
    clientId: id,
    brokers: [...input.brokers],
    ...input.kafkaSecurity?.client,
  });
  const admin = kafka.admin();
  const es = new Client(elasticsearchClientOptions(input.esConnection));
  const tracker = new WindowTracker({ outOfOrdernessMs: w.outOfOrdernessMs });
  const observer = kafka.consumer({ groupId: `${id}-observer`, maxWaitTimeInMs: 50 });
  let processor: ProcessorChild | undefined;
  let sampler: ResourceSampler | undefined;
  let poller: SearchablePoller | undefined;
  let rawPoller: RawSearchablePoller | undefined;
  let benchLoop: EventLoopDelayMonitor | undefined;
  let benchLoopTimer: NodeJS.Timeout | undefined;
  let searchableTimer: NodeJS.Timeout | undefined;
  try {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: topics.input, numPartitions: input.partitions, replicationFactor: 1 }],
    });
    const warmed = await warmElasticsearch(es, {
      index: `${id}-es-warmup`,
      ...ELASTICSEARCH_WARMUP_DEFAULTS,
    });
    log(
      `run ${input.run}: warmed Elasticsearch's bulk path with ${warmed} window documents (scratch index, deleted)`,
    );
    log(`run ${input.run}: starting the processor (${id})`);
    processor = await startRunProcessor({
      brokers: input.brokers,
      env: input.kafkaSecurity?.env,
      id,
      topics,
      windowSizeMs: w.windowSizeMs,
      outOfOrdernessMs: w.outOfOrdernessMs,
      idleTimeoutMs: w.idleTimeoutMs,
      esConnection: input.esConnection,
      enrichedEvents: w.rawEvents,
      lowLatency: w.lowLatency,
      probe: {
        inputTopic: topics.input,
        onWindowAck: ([pageUrl, windowStart, windowEnd, ackMs]) =>
          tracker.observeAcknowledged({ pageUrl, windowStart, windowEnd }, ackMs),
      },
    });

    await observer.connect();
    await observer.subscribe({ topic: topics.results, fromBeginning: true });
    await observer.run({
      eachMessage: async ({ message }) => {
        if (message.value === null) return;
        const r = decodeWindowResult(message.value);
        if (r.isFinal) tracker.observeKafkaResult(r, Date.now());
      },
    });

    const targets: ResourceTarget[] = [{ component: 'processor', pid: processor.pid }];
    if (input.kafka.pid !== undefined) targets.push({ component: 'kafka', pid: input.kafka.pid });
    if (input.elasticsearch.pid !== undefined)
      targets.push({ component: 'elasticsearch', pid: input.elasticsearch.pid });
    sampler = new ResourceSampler({ intervalMs: w.sampleIntervalMs, self: 'bench', targets });
    await sampler.start({ timer: true });

    poller = new SearchablePoller(es, id, tracker, w.pollIntervalMs);
    poller.start();

    log(`run ${input.run}: producing ${input.ratePerSec}/s for ${input.warmupMs + input.durationMs} ms`);
    // The generator reads the wall clock once, when its schedule starts (after connecting): event time and intended
    // send times start there, and so does the measured window after the warm-up.
    let produceStartWall = Date.now();
    let measuredFromMs = produceStartWall + input.warmupMs;
    const onProduceStart = (wallMs: number): void => {
      produceStartWall = wallMs;
      measuredFromMs = wallMs + input.warmupMs;
      processor?.probe?.measureFrom(measuredFromMs);
      benchLoopTimer = setTimeout(() => {
        benchLoop = new EventLoopDelayMonitor();
      }, input.warmupMs);
      if (w.rawEvents) {
        rawPoller = new RawSearchablePoller(es, rawEventsAlias(id), {
          fromMs: measuredFromMs,
          intervalMs: w.pollIntervalMs,
        });
        rawPoller.start();
      }
    };
    const produced: [number, number][] = [];
    const ackP99: [number, number][] = [];
    const lagP99: [number, number][] = [];
    const searchableOverTime: [number, number][] = [];
    searchableTimer = setInterval(
      () => searchableOverTime.push([Date.now() - produceStartWall, tracker.searchableWindows]),
      1000,
    );
    const generator = clickstreamLoadGenerator(
      {
        brokers: input.brokers,
        kafkaSecurity: input.kafkaSecurity,
        clientId: `${id}-producer`,
        topic: topics.input,
        partitions: input.partitions,
        ratePerSec: input.ratePerSec,
        warmupMs: input.warmupMs,
        durationMs: input.durationMs,
        progressIntervalMs: 1000,
        workload: w,
      },
      onProduceStart,
      (_line, p) => {
        const t = p.elapsedMs;
        produced.push([t, p.intervalMs > 0 ? (p.intervalSent * 1000) / p.intervalMs : 0]);
        ackP99.push([t, p.p99AckMs]);
        lagP99.push([t, p.p99ScheduleLagMs]);
      },
    );
    const report = await generator.run();
    const benchLoopFigures = benchLoop?.figures() ?? null;
    benchLoop?.stop();
    const expected = report.manifest.windows;
    const expectedEvents = expected.reduce((sum, x) => sum + x.clickCount + x.viewCount, 0);
    let rawIndexedTotal = 0;
    const rawComplete = async (): Promise<boolean> => {
      if (!w.rawEvents) return true;
      try {
        rawIndexedTotal = (await es.count({ index: rawEventsAlias(id) })).count;
      } catch {
        return false;
      }
      return rawIndexedTotal >= expectedEvents;
    };
    const settleTimeoutMs =
      input.settleTimeoutMs ?? w.windowSizeMs + w.outOfOrdernessMs + w.idleTimeoutMs + 60_000;
    const settleUntil = Date.now() + settleTimeoutMs;
    log(
      `run ${input.run}: ${report.sent} events acknowledged; waiting for ${expected.length} windows to be searchable`,
    );
    while (!(tracker.complete(expected) && (await rawComplete())) && Date.now() < settleUntil) {
      const exited = processor.exited();
      if (exited !== undefined) {
        throw new BenchError(
          BENCH_ERROR_CODES.IO,
          `the processor exited (${exited}) before every window was searchable: ${processor.stderrTail().slice(-600)}`,
        );
      }
      await sleep(w.pollIntervalMs);
    }
    if (!tracker.complete(expected)) {
      log(
        `run ${input.run}: not every window was searchable after ${settleTimeoutMs} ms; the correctness line says what is missing`,
      );
    }
    clearInterval(searchableTimer);
    await poller.stop();
    await rawPoller?.stop();
    if (w.rawEvents) {
      await rawPoller?.pollOnce();
      log(`run ${input.run}: ${rawIndexedTotal} of ${expectedEvents} enriched events searchable`);
    }
    const probeFlushed = (await processor.probe?.flush()) ?? false;
    if (!probeFlushed) log(`run ${input.run}: the processor probe did not report; its figures stay empty`);
    const probe = processor.probe?.collector;
    const kafkaToProcessor = probe?.histogram(PROBE_HISTOGRAMS.KAFKA_TO_PROCESSOR);
    const rawIndexed = probe?.histogram(PROBE_HISTOGRAMS.RAW_INDEXED);
    // One last full pass, so the correctness line reflects the final state of every document.
    await poller.pollOnce();
    const samples = await sampler.stop();
    const resources = summarizeResources(samples);
    const correctness = tracker.correctness(expected, {
      produced: report.manifest.totals.sent,
      late: report.manifest.totals.late,
      deadLettered: report.manifest.totals.deadLettered,
    });
    // Windows closing after the last event's time can only be closed by the idle timeout: left out of latency.
    // and those closing during the warm-up likewise.
    const latencies = tracker.latencies(measuredFromMs + input.durationMs, measuredFromMs);
    log(
      `run ${input.run}: ${tracker.searchableWindows} windows searchable; left out of the latency figures: ` +
        `${latencies.warmupWindows} closed during the warm-up, ${latencies.drainWindows} after the last event (idle timeout)`,
    );
    publish(channels.runEnd, () => ({
      run: input.run,
      id,
      correctness,
      searchableWindows: tracker.searchableWindows,
      drainWindows: latencies.drainWindows,
      warmupWindows: latencies.warmupWindows,
    }));
    const measuredSec = input.durationMs / 1000;
    const components: ComponentRow[] = [
      {
        component: 'kafka',
        version: input.kafka.version,
        startupMs: input.kafka.startupMs,
        throughputPerSec: report.recordsPerSec,
        latencyMs:
          report.latency.count === 0
            ? null
            : {
                p50: report.latency.p50Ms,
                p99: report.latency.p99Ms,
                p99_9: report.latency.p999Ms,
                max: report.latency.maxMs,
              },
        latencyDefinition: LATENCY_DEFINITIONS.kafka,
        ...resourceOf(resources, 'kafka'),
        ...NO_LOOP,
      },
      {
        component: 'kafka-to-processor',
        version: installedVersion('kafkajs'),
        startupMs: null,
        throughputPerSec: kafkaToProcessor === undefined ? null : kafkaToProcessor.totalCount / measuredSec,
        latencyMs: kafkaToProcessor === undefined ? null : figures(kafkaToProcessor),
        latencyDefinition: LATENCY_DEFINITIONS['kafka-to-processor'],
        cpuPercent: null,
        rssMB: null,
        ...NO_LOOP,
      },
      {
        component: 'processor',
        version: installedVersion('@tributary/processor'),
        startupMs: processor.startupMs,
        throughputPerSec: null,
        latencyMs: figures(latencies.resultInKafka),
        latencyDefinition: LATENCY_DEFINITIONS.processor,
        ...resourceOf(resources, 'processor'),
        ...loopDelay(probe?.eventLoop ?? null),
      },
      {
        component: 'es-acknowledged',
        version: installedVersion('@tributary/es-sink'),
        startupMs: null,
        throughputPerSec: null,
        latencyMs: figures(latencies.acknowledged),
        latencyDefinition: LATENCY_DEFINITIONS['es-acknowledged'],
        cpuPercent: null,
        rssMB: null,
        ...NO_LOOP,
      },
      {
        component: 'elasticsearch',
        version: input.elasticsearch.version,
        startupMs: input.elasticsearch.startupMs,
        throughputPerSec: null,
        latencyMs: figures(latencies.kafkaToSearchable),
        latencyDefinition: LATENCY_DEFINITIONS.elasticsearch,
        ...resourceOf(resources, 'elasticsearch'),
        ...NO_LOOP,
      },
      {
        component: 'end-to-end',
        version: null,
        startupMs: null,
        throughputPerSec: null,
        latencyMs: figures(latencies.searchable),
        latencyDefinition: LATENCY_DEFINITIONS['end-to-end'],
        cpuPercent: null,
        rssMB: null,
        ...NO_LOOP,
      },
      ...(w.rawEvents
        ? ([
            {
              component: 'raw-indexed',
              version: null,
              startupMs: null,
              throughputPerSec: rawIndexed === undefined ? null : rawIndexed.totalCount / measuredSec,
              latencyMs: rawIndexed === undefined ? null : figures(rawIndexed),
              latencyDefinition: LATENCY_DEFINITIONS['raw-indexed'],
              cpuPercent: null,
              rssMB: null,
              ...NO_LOOP,
            },
            {
              component: 'raw-searchable',
              version: null,
              startupMs: null,
              throughputPerSec: null,
              latencyMs: rawPoller === undefined ? null : figures(rawPoller.histogram),
              latencyDefinition: LATENCY_DEFINITIONS['raw-searchable'],
              cpuPercent: null,
              rssMB: null,
              ...NO_LOOP,
            },
          ] satisfies ComponentRow[])
        : []),
      {
        component: 'bench',
        version: installedVersion('@tributary/producer'),
        startupMs: null,
        throughputPerSec: null,
        latencyMs: null,
        latencyDefinition: LATENCY_DEFINITIONS.bench,
        ...resourceOf(resources, 'bench'),
        ...loopDelay(benchLoopFigures),
      },
    ];
    const series: Series[] = [
      { name: 'produced per second', unit: 'records/s', points: produced },
      { name: 'produce ack latency p99 per second', unit: 'ms', points: ackP99 },
      { name: 'schedule lag p99 per second', unit: 'ms', points: lagP99 },
      { name: 'windows searchable', unit: 'windows (cumulative)', points: searchableOverTime },
      ...(probe === undefined
        ? []
        : (['kafka-to-processor', 'raw-indexed'] as const).flatMap((name) => {
            const points = probe.points.filter((p) => p.name === name);
            return [
              {
                name: `${name} per second`,
                unit: 'records/s',
                points: points.map((p) => [p.atMs - produceStartWall, p.perSec] as const),
              },
              {
                name: `${name} p99 per second`,
                unit: 'ms',
                points: points
                  .filter((p) => p.p99Ms !== null)
                  .map((p) => [p.atMs - produceStartWall, p.p99Ms!] as const),
              },
            ];
          })),
      ...[...new Set(samples.map((s) => s.component))].map((component) => ({
        name: `CPU ${component}`,
        unit: '% of one core',
        points: samples.filter((s) => s.component === component).map((s) => [s.tMs, s.cpuPercent] as const),
      })),
    ];
    return {
      run: input.run,
      startedAt,
      components,
      correctness,
      series,
      histograms: {
        'end-to-end': latencies.searchable.encode(),
        'result-in-kafka': latencies.resultInKafka.encode(),
        'kafka-to-searchable': latencies.kafkaToSearchable.encode(),
        'result-acknowledged': latencies.acknowledged.encode(),
        ...(kafkaToProcessor === undefined ? {} : { 'kafka-to-processor': kafkaToProcessor.encode() }),
        ...(rawIndexed === undefined ? {} : { 'raw-indexed': rawIndexed.encode() }),
        ...(rawPoller === undefined ? {} : { 'raw-searchable': rawPoller.histogram.encode() }),
      },
    };
  } finally {
    clearInterval(searchableTimer);
    clearTimeout(benchLoopTimer);
    benchLoop?.stop();
    await poller?.stop().catch(() => undefined);
    await rawPoller?.stop().catch(() => undefined);
    await sampler?.stop().catch(() => undefined);
    await observer.disconnect().catch(() => undefined);
    await processor?.stop().catch(() => undefined);
    await deleteRunResources(admin, es, id);
  }
}
