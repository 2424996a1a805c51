import { Client } from '@elastic/elasticsearch';
import { elasticsearchClientOptions } from '@tributary/es-sink';
import { createKafkaClient, type Admin } from '@tributary/kafka';
import { BENCH_ERROR_CODES, BenchError, InvalidOptionError } from '../errors.js';
import type { Figure, RunResult, Series } from '../report/results.js';
import { PROBE_HISTOGRAMS } from '../probe/probe-protocol.js';
import { readProcess } from '../resources/proc-stat.js';
import type { ProcessorChild } from '../run/processor-child.js';
import { deleteRunResources, runTopics, startRunProcessor } from '../run/run-resources.js';
import { committedOffsetsByGroup } from '../run/group-offsets.js';
import { TABLE_WORKLOAD_DEFAULTS } from '../run/table-run.js';
import { generatorCount, runGeneratorProcesses } from './generator-processes.js';
import { figuresRun, scenarioRunId, type ScenarioContext } from './scenario-run.js';
import { eventsPerCore, ThroughputSearch, type ThroughputSearchOptions } from './throughput-search.js';

export interface MaxThroughputWorkload extends ThroughputSearchOptions {
  /** Measured time of each step, ms (after `stepWarmupMs`). */
  readonly stepMs: number;
  /** Warm-up of each step, excluded from its ack latency, ms. */
  readonly stepWarmupMs: number;
  /** The search stops starting new steps once this much time has passed, ms. */
  readonly budgetMs: number;
  readonly partitions: number;
  /** Events/s per load-generator process: a step at rate r runs ceil(r / this) `tributary-produce` processes. */
  readonly ratePerGenerator: number;
  /** At most this many generator processes. */
  readonly maxGenerators: number;
}

/** Steps of 6 s (+1 s warm-up) from 5k/s ×2, at most 60 s of stepping: fits the default `bench` run. */
export const MAX_THROUGHPUT_DEFAULTS: Omit<MaxThroughputWorkload, keyof ThroughputSearchOptions> = {
  stepMs: 6_000,
  stepWarmupMs: 1_000,
  budgetMs: 60_000,
  partitions: 4,
  ratePerGenerator: 15_000,
  maxGenerators: 4,
};

/** Time allowed for a generator process to start and connect before its warm-up, ms (for the CPU window). */
const GENERATOR_START_MS = 1_000;

function resolveSteps(w: Partial<MaxThroughputWorkload>): typeof MAX_THROUGHPUT_DEFAULTS {
  const o = { ...MAX_THROUGHPUT_DEFAULTS, ...w };
  if (!Number.isFinite(o.stepMs) || o.stepMs < 1000)
    throw new InvalidOptionError('stepMs', 'must be at least 1000 ms', o.stepMs);
  if (!Number.isFinite(o.stepWarmupMs) || o.stepWarmupMs < 0) {
    throw new InvalidOptionError('stepWarmupMs', 'must be 0 or more', o.stepWarmupMs);
  }
  if (!Number.isFinite(o.budgetMs) || o.budgetMs < o.stepMs) {
    throw new InvalidOptionError('budgetMs', 'must be at least one step (stepMs)', o.budgetMs);
  }
  if (!Number.isSafeInteger(o.partitions) || o.partitions < 1) {
    throw new InvalidOptionError('partitions', 'must be a positive integer', o.partitions);
  }
  if (!Number.isFinite(o.ratePerGenerator) || o.ratePerGenerator < 1) {
    throw new InvalidOptionError('ratePerGenerator', 'must be at least 1', o.ratePerGenerator);
  }
  if (!Number.isSafeInteger(o.maxGenerators) || o.maxGenerators < 1 || o.maxGenerators > 32) {
    throw new InvalidOptionError('maxGenerators', 'must be an integer from 1 to 32', o.maxGenerators);
  }
  return o;
}

async function lagOnce(admin: Admin, applicationId: string, topic: string): Promise<number> {
  const ends = await admin.fetchTopicOffsets(topic);
  let best: number | undefined;
  for (const committed of (await committedOffsetsByGroup(admin, applicationId, topic)).values()) {
    let lag = 0;
    for (const end of ends) lag += Math.max(0, Number(end.high) - (committed.get(end.partition) ?? 0));
    best = best === undefined ? lag : Math.min(best, lag);
  }
  return best ?? ends.reduce((sum, e) => sum + Number(e.high), 0);
}

/**
 * End offsets minus committed offsets of the processor's groups (named after its application id) on `topic`; the
 * smallest over the groups that committed on it (every record when none has yet). Retried a few times, since a
 * group coordinator can answer "rebalancing" or "loading" for a moment.
 */
export async function inputLag(
  admin: Admin,
  applicationId: string,
  topic: string,
  attempts = 5,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await lagOnce(admin, applicationId, topic);
    } catch (error) {
      if (attempt >= attempts) {
        throw new BenchError(
          BENCH_ERROR_CODES.IO,
          `cannot read the processor's input lag on ${topic}: ${(error as Error).message}`,
          { cause: error, retriable: true },
        );
      }
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/**
 * `max-throughput`: the processor CLI in a child process, reading one input topic; the producer's open-loop
 * generator raises the rate in steps (×stepFactor) until a step diverges (produce-ack p99, the processor group's
 * input lag at the end of the step, or the generator falling behind) or the time budget is spent. Reports the last
 * stable rate and the processor's events/s per core at that step.
 */
export async function runMaxThroughputOnce(
  ctx: ScenarioContext,
  workload: Partial<MaxThroughputWorkload> = {},
): Promise<RunResult> {
  const search = new ThroughputSearch(workload);
  const s = resolveSteps(workload);
  const id = scenarioRunId('maxtp');
  const topics = runTopics(id);
  const startedAt = new Date().toISOString();
  const t = TABLE_WORKLOAD_DEFAULTS;
  const kafka = createKafkaClient({ clientId: id, brokers: [...ctx.brokers], ...ctx.kafkaSecurity?.client });
  const admin = kafka.admin();
  const es = new Client(elasticsearchClientOptions(ctx.esConnection));
  let processor: ProcessorChild | undefined;
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: topics.input, numPartitions: s.partitions, replicationFactor: 1 }],
    });
    processor = await startRunProcessor({
      brokers: ctx.brokers,
      env: ctx.kafkaSecurity?.env,
      id,
      topics,
      windowSizeMs: t.windowSizeMs,
      outOfOrdernessMs: t.outOfOrdernessMs,
      idleTimeoutMs: t.idleTimeoutMs,
      esConnection: ctx.esConnection,
      probe: { inputTopic: topics.input },
    });
    ctx.log(`max-throughput: processor running (${id}); ${search.criterion()}`);
    const searchStart = Date.now();
    const stepEndMs: number[] = [];
    const deadline = searchStart + s.budgetMs;
    for (let rate = search.nextRate(); rate !== undefined; rate = search.nextRate()) {
      if (Date.now() + s.stepMs + s.stepWarmupMs > deadline) {
        ctx.log(`max-throughput: time budget spent before ${rate}/s`);
        search.stop();
        break;
      }
      const probe = processor.probe;
      await probe?.flush();
      probe?.collector.reset();
      probe?.measureFrom(Date.now() + s.stepWarmupMs);
      const generators = generatorCount(rate, s.ratePerGenerator, s.maxGenerators);
      // The processor's CPU over the step's measured window (after the generators started and warmed up).
      const cpu: { at: number; cpuMs: number }[] = [];
      const sampleCpu = (): void =>
        void readProcess(processor!.pid)
          .then((r) => cpu.push({ at: performance.now(), cpuMs: r.cpuMs }))
          .catch(() => undefined);
      const t1 = setTimeout(sampleCpu, GENERATOR_START_MS + s.stepWarmupMs);
      const t2 = setTimeout(sampleCpu, GENERATOR_START_MS + s.stepWarmupMs + s.stepMs);
      let report;
      try {
        report = await runGeneratorProcesses({
          brokers: ctx.brokers,
          env: ctx.kafkaSecurity?.env,
          topic: topics.input,
          partitions: s.partitions,
          rate,
          generators,
          durationMs: s.stepWarmupMs + s.stepMs,
          warmupMs: s.stepWarmupMs,
          windowSizeMs: t.windowSizeMs,
          outOfOrdernessMs: t.outOfOrdernessMs,
          pages: t.pages,
          seed: t.seed + 1000 * search.steps.length,
          clientId: `${id}-producer`,
        });
      } finally {
        clearTimeout(t1);
        clearTimeout(t2);
      }
      if (cpu.length < 2) sampleCpu();
      await new Promise((r) => setTimeout(r, 50));
      const lag = await inputLag(admin, id, topics.input);
      let consumeP99Ms: number | null = null;
      if (probe !== undefined && (await probe.flush())) {
        const h = probe.collector.histogram(PROBE_HISTOGRAMS.KAFKA_TO_PROCESSOR);
        consumeP99Ms = h.totalCount === 0 ? null : h.valueAtPercentileUs(99) / 1000;
        h.destroy();
      }
      stepEndMs.push(Date.now() - searchStart);
      const exited = processor.exited();
      const verdict = search.record({
        rate,
        planned: Math.floor((rate * (s.stepWarmupMs + s.stepMs)) / 1000),
        sent: report.sent,
        achievedPerSec: report.recordsPerSec,
        ackP99Ms: report.ackP99Ms,
        consumeP99Ms,
        lag,
        processorCores:
          cpu.length >= 2 && cpu[1]!.at > cpu[0]!.at
            ? (cpu[1]!.cpuMs - cpu[0]!.cpuMs) / (cpu[1]!.at - cpu[0]!.at)
            : null,
      });
      ctx.log(
        `max-throughput: ${rate}/s (${generators} generator process${generators === 1 ? '' : 'es'}) → ` +
          `${Math.round(verdict.achievedPerSec)}/s acked, ack p99 ${verdict.ackP99Ms} ms, ` +
          `Kafka → processor p99 ${consumeP99Ms === null ? '–' : `${consumeP99Ms.toFixed(1)} ms`}, ` +
          `lag ${lag}, processor ${verdict.processorCores?.toFixed(2) ?? '–'} cores: ` +
          `${verdict.stable ? 'stable' : `${verdict.outcome} (${verdict.reasons.join('; ')})`}`,
      );
      if (exited !== undefined) {
        ctx.log(`max-throughput: the processor exited (${exited}): ${processor.stderrTail().slice(-300)}`);
        search.stop();
      }
    }
    const best = search.lastStable;
    ctx.log(`max-throughput: stopped: ${search.stopReason}`);
    const figures: Figure[] = [
      {
        name: 'max-throughput.last-stable-rate',
        unit: 'events/s',
        value: best?.rate ?? null,
        note: search.criterion(),
      },
      {
        name: 'max-throughput.achieved',
        unit: 'events/s',
        value: best?.achievedPerSec ?? null,
        note: 'acknowledged, at the last stable step',
      },
      {
        name: 'max-throughput.ack-p99',
        unit: 'ms',
        value: best?.ackP99Ms ?? null,
        note: 'from intended send time, last stable step',
      },
      {
        name: 'max-throughput.kafka-to-processor-p99',
        unit: 'ms',
        value: best?.consumeP99Ms ?? null,
        note: 'record timestamp → consumed by the processor, last stable step',
      },
      { name: 'max-throughput.processor-cores', unit: 'cores', value: best?.processorCores ?? null },
      {
        name: 'max-throughput.events-per-core',
        unit: 'events/s',
        value: best === undefined ? null : eventsPerCore(best),
        note: 'achieved / CPU of the processor child (cores), last stable step',
      },
      { name: 'max-throughput.steps', unit: 'steps', value: search.steps.length },
      {
        name: 'max-throughput.first-diverged-rate',
        unit: 'events/s',
        value: search.diverged?.rate ?? null,
        note: `stopped: ${search.stopReason}`,
      },
    ];
    const series: Series[] = [
      {
        name: 'step rate',
        unit: 'events/s',
        points: search.steps.map((x, i) => [stepEndMs[i]!, x.rate] as const),
      },
      {
        name: 'step ack p99',
        unit: 'ms',
        points: search.steps.map((x, i) => [stepEndMs[i]!, x.ackP99Ms] as const),
      },
      {
        name: 'step Kafka → processor p99',
        unit: 'ms',
        points: search.steps.flatMap((x, i) =>
          x.consumeP99Ms === null ? [] : [[stepEndMs[i]!, x.consumeP99Ms] as const],
        ),
      },
      {
        name: 'step input lag',
        unit: 'records',
        points: search.steps.map((x, i) => [stepEndMs[i]!, x.lag] as const),
      },
    ];
    return figuresRun(ctx.run, startedAt, figures, { series });
  } finally {
    await processor?.stop().catch(() => undefined);
    await deleteRunResources(admin, es, id);
  }
}
