import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  ELASTICSEARCH_CONNECTION_OPTION_SPECS,
  elasticsearchClientOptions,
  elasticsearchConnectionValues,
} from '@tributary/es-sink';
import { createKafkaClient } from '@tributary/kafka';
import { option, z } from '@tributary/options';
import { PROCESSING_GUARANTEES } from '@tributary/processor';
import { runLoad } from '@tributary/producer';
import { BASELINE, BROKERS, count, resultsFile } from '../common-options.js';
import { readCpuProfile, renderSelfTime } from '../cpu-profile.js';
import { markdownTable, times, writeJsonFile } from '../output.js';
import { defineSuite } from '../suite.js';
import type { ThroughputFigures } from './child-watch.js';
import { endOffsets, JOBS, runProcessor, runRaw, type ContenderSettings } from './contenders.js';
import { runWindowLatency, type LegLatency } from './window-latency.js';

const RAW = 'raw kafkajs';
const DECODING = 'raw kafkajs + processor decoding';

/** A contender's figures in a round, with its ratios to the raw consumers of the same round. */
export type RoundFigures = ThroughputFigures & {
  /** records/s / the raw kafkajs consumer's (the ratio). */
  ratio?: number;
  ratioPerCpuSec?: number;
  ratioToDecodingCeiling?: number;
};

export interface ThroughputRound {
  readonly round: number;
  /** By contender: `raw kafkajs`, `raw kafkajs + processor decoding`, `<job> <mode>`, `<job> <mode> (baseline)`. */
  readonly contenders: Record<string, RoundFigures>;
}

const round2 = (x: number): number => Number(x.toFixed(2));

/** A processor contender's ratios to the raw consumers measured in the same round. */
export function withRatios(
  p: ThroughputFigures,
  raw: ThroughputFigures,
  decoding: ThroughputFigures | undefined,
): RoundFigures {
  return {
    ...p,
    ratio: round2(p.recordsPerSec / raw.recordsPerSec),
    ratioPerCpuSec: round2(p.recordsPerCpuSec / raw.recordsPerCpuSec),
    ...(decoding === undefined
      ? {}
      : { ratioToDecodingCeiling: round2(p.recordsPerSec / decoding.recordsPerSec) }),
  };
}

/** One row per round: each contender's rec/s (rec/CPU-s) and the processor's ratios. */
export function renderThroughputTable(rounds: readonly ThroughputRound[]): string {
  const keys = [...new Set(rounds.flatMap((r) => Object.keys(r.contenders)))];
  const ceiling = keys.includes(DECODING);
  const processors = keys.filter((k) => k !== RAW && k !== DECODING);
  const rate = (f: RoundFigures | undefined): string =>
    f === undefined ? '–' : `${f.recordsPerSec} (${f.recordsPerCpuSec})`;
  return markdownTable(
    [
      'round',
      `${RAW} rec/s (rec/CPU-s)`,
      ...(ceiling ? [DECODING] : []),
      ...processors.flatMap((k) => [
        `**${k}** rec/s (rec/CPU-s)`,
        'ratio',
        'per CPU-s',
        ...(ceiling ? ['/ decoding ceiling'] : []),
      ]),
    ],
    rounds.map((r) => [
      String(r.round),
      rate(r.contenders[RAW]),
      ...(ceiling ? [rate(r.contenders[DECODING])] : []),
      ...processors.flatMap((k) => {
        const f = r.contenders[k];
        return [
          rate(f),
          times(f?.ratio),
          times(f?.ratioPerCpuSec),
          ...(ceiling ? [times(f?.ratioToDecodingCeiling)] : []),
        ];
      }),
    ]),
  );
}

/** The latency run's legs as one line each. */
export function renderLatency(latency: Readonly<Record<string, unknown>>): string {
  const line = (label: string, key: string): string[] => {
    const l = latency[key] as LegLatency | undefined;
    return l === undefined ? [] : [`${label}: p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms (${l.count} results)`];
  };
  return [
    `window-close latency after windowEnd + B (${latency['finalResultsMeasured']} of ${latency['expectedFinalResults']} final results in ${latency['windowsMeasured']} windows):`,
    ...line('  readable in the results topic (committed)', 'kafkaCommitted'),
    ...line('  acknowledged by Elasticsearch', 'esAcknowledged'),
    ...line('  searchable in Elasticsearch', 'esSearchable'),
  ].join('\n');
}

export const processorVsKafkajsSuite = defineSuite({
  name: 'processor-vs-kafkajs',
  summary:
    'The processor (count job, clickstream app) against a raw kafkajs consumer of the same topic; window-close latency',
  needs: 'Kafka; Elasticsearch for the latency run',
  description:
    'Each contender reads the same pre-loaded topic in a child process: raw kafkajs consumers (the ceilings), then\n' +
    'each job per mode, and with --baseline the same jobs of another build, same round (alternating which goes first);\n' +
    'ratios to the raw consumer.\n' +
    'Then window-close latency at --latency-rate. What is and is not measured: packages/processor/bench/README.md.',
  options: {
    count: count(1_000_000, 'events pre-loaded'),
    partitions: count(4, 'partitions of the input topics'),
    rounds: count(1, 'rounds of raw kafkajs → each job per mode'),
    modes: option(
      z.array(z.enum(PROCESSING_GUARANTEES)).min(1).default(['exactly-once', 'at-least-once']),
      'processing guarantees to run',
    ),
    jobs: option(z.array(z.enum(JOBS)).min(1).default(['count', 'clickstream']), 'jobs per mode'),
    baseline: BASELINE,
    cpuProf: option(
      z.boolean().default(false),
      'V8 CPU profiles of the processor children (bench-results/cpu-prof), self time printed',
    ),
    commitIntervalMs: option(z.int().min(1).optional(), 'commit interval of both jobs', {
      defaultText: 'the job default (200)',
    }),
    processorArgs: option(
      z.string().default(''),
      'extra clickstream flags, space-separated (--processor-args=--full-decode)',
      { placeholder: '<flags>', defaultText: 'none' },
    ),
    rawDecodingCeiling: option(
      z.boolean().default(true),
      "the second ceiling: raw kafkajs with the processor's fetch decoding",
    ),
    nodeFlags: option(
      z.string().default('--max-semi-space-size=64'),
      "Node/V8 flags of every child, space-separated (--node-flags= for Node's defaults)",
      { placeholder: '<flags>' },
    ),
    timeoutMs: count(600_000, 'give up on a contender after this long', 1000),
    skipThroughput: option(z.boolean().default(false), 'only the latency run'),
    latencyRate: count(5000, 'events/s of the latency run'),
    latencyDurationMs: count(75_000, 'load duration of the latency run', 1000),
    windowSizeMs: count(10_000, 'tumbling window of the latency run', 1000),
    outOfOrdernessMs: count(5000, 'bound B of the latency run', 0),
    es: option(z.boolean().default(true), 'Elasticsearch in the latency run'),
    skipLatency: option(z.boolean().default(false), 'only the throughput runs'),
    brokers: BROKERS,
    ...ELASTICSEARCH_CONNECTION_OPTION_SPECS,
    out: resultsFile('processor-vs-kafkajs'),
  },
  check: (o, fail) => {
    if (o.es && !o.skipLatency) elasticsearchClientOptions(o, fail);
  },
  async run(o, context) {
    const runId = `bench-proc-${randomBytes(4).toString('hex')}`;
    const split = (flags: string): string[] => flags.split(' ').filter((f) => f !== '');
    const s: ContenderSettings = {
      brokers: o.brokers,
      runId,
      nodeFlags: split(o.nodeFlags),
      timeoutMs: o.timeoutMs,
      cpuProfDir: o.cpuProf ? join('bench-results', 'cpu-prof') : undefined,
      commitIntervalMs: o.commitIntervalMs,
      processorArgs: split(o.processorArgs),
      log: context.log,
    };
    const kafka = createKafkaClient({ clientId: 'tributary-processor-bench', brokers: o.brokers });
    const results: Record<string, unknown> & { rounds: ThroughputRound[] } = {
      runId,
      node: process.version,
      cpus: cpus().length,
      startedAt: new Date().toISOString(),
      count: o.count,
      partitions: o.partitions,
      nodeFlags: o.nodeFlags,
      baseline: o.baseline,
      rounds: [],
    };
    const inputTopic = `${runId}-input`;
    // A fresh admin per phase: kafkajs' metadata of an earlier one still lists the topics deleted after each run.
    const withAdmin = async <T>(work: (admin: ReturnType<typeof kafka.admin>) => Promise<T>): Promise<T> => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return await work(admin);
      } finally {
        await admin.disconnect();
      }
    };
    try {
      if (!o.skipThroughput) {
        await withAdmin(async (admin) => {
          context.log(
            `pre-loading ${o.count} events into ${inputTopic} (${o.partitions} partitions, LZ4, rate 0)`,
          );
          const load = await runLoad({
            brokers: o.brokers,
            topic: inputTopic,
            partitions: o.partitions,
            rate: 0,
            count: o.count,
            compression: 'lz4',
          });
          context.log(`pre-load: ${load.summary}`);
          results['preload'] = {
            sent: load.sent,
            bytes: load.bytes,
            recordsPerSec: Math.round(load.recordsPerSec),
          };
          const ends = await endOffsets(admin, inputTopic);
          const n = [...ends.values()].reduce((a, b) => a + b, 0);
          for (let round = 1; round <= o.rounds; round++) {
            const raw = await runRaw(admin, s, inputTopic, n, false);
            const decoding = o.rawDecodingCeiling ? await runRaw(admin, s, inputTopic, n, true) : undefined;
            const r: ThroughputRound = { round, contenders: { [RAW]: raw } };
            if (decoding !== undefined)
              r.contenders[DECODING] = {
                ...decoding,
                ratio: round2(decoding.recordsPerSec / raw.recordsPerSec),
              };
            for (const mode of o.modes) {
              for (const job of o.jobs) {
                // even rounds run the baseline first, so a drift of the machine's load hits both builds alike
                const builds =
                  o.baseline === undefined
                    ? [undefined]
                    : round % 2 === 1
                      ? [undefined, o.baseline]
                      : [o.baseline, undefined];
                for (const baseline of builds) {
                  const key = `${job} ${mode}${baseline === undefined ? '' : ' (baseline)'}`;
                  const f = withRatios(
                    await runProcessor(admin, s, inputTopic, ends, job, mode, baseline),
                    raw,
                    decoding,
                  );
                  r.contenders[key] = f;
                  context.log(
                    `round ${round}: ${key}: ${f.recordsPerSec} rec/s (${f.recordsPerCpuSec} per CPU-s, peak RSS ${f.peakRssMb} MB): ` +
                      `/ raw kafkajs ${f.ratio}, per CPU-second ${f.ratioPerCpuSec}` +
                      (f.ratioToDecodingCeiling === undefined
                        ? ''
                        : `, / decoding ceiling ${f.ratioToDecodingCeiling}`),
                  );
                }
              }
            }
            results.rounds.push(r);
            await writeJsonFile(o.out, results);
          }
        });
      }
      if (!o.skipLatency) {
        results['latency'] = await withAdmin((admin) =>
          runWindowLatency(kafka, admin, s, {
            partitions: o.partitions,
            rate: o.latencyRate,
            durationMs: o.latencyDurationMs,
            windowSizeMs: o.windowSizeMs,
            outOfOrdernessMs: o.outOfOrdernessMs,
            esConnection: o.es ? elasticsearchConnectionValues(o) : undefined,
          }),
        );
      }
    } finally {
      if (!o.skipThroughput)
        await withAdmin((admin) => admin.deleteTopics({ topics: [inputTopic] })).catch((error: Error) =>
          context.log(`could not delete ${inputTopic}: ${error.message}`),
        );
      await writeJsonFile(o.out, results);
    }
    const printed = [];
    if (results.rounds.length > 0) printed.push(renderThroughputTable(results.rounds));
    if (results['latency'] !== undefined)
      printed.push(renderLatency(results['latency'] as Record<string, unknown>));
    if (s.cpuProfDir !== undefined) {
      for (const file of (await readdir(s.cpuProfDir)).filter((f) => f.startsWith(runId)))
        printed.push(`${file}\n${renderSelfTime(await readCpuProfile(join(s.cpuProfDir, file)), 20)}`);
    }
    context.print(`${printed.join('\n\n')}\n\nresults in ${o.out}`);
  },
});
