import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Admin } from '@tributary/kafka';
import type { ProcessingGuarantee } from '@tributary/processor';
import { processorCliPath, processorFlags } from '../../run/processor-child.js';
import { baselineDist } from '../baseline.js';
import {
  spawnNode,
  stopChild,
  throughputFigures,
  watchChild,
  type ThroughputFigures,
} from './child-watch.js';
import type { CountJobConfig } from './count-job.js';
import type { RawConsumerLine } from './raw-consumer.js';

/** The jobs a round runs per processing guarantee. */
export const JOBS = ['count', 'clickstream'] as const;
export type Job = (typeof JOBS)[number];

export interface ContenderSettings {
  readonly brokers: readonly string[];
  /** Prefix of every topic, group and index of this run. */
  readonly runId: string;
  /** Node/V8 flags of every child. */
  readonly nodeFlags: readonly string[];
  readonly timeoutMs: number;
  /** Where the processor children write V8 CPU profiles (`--cpu-prof`); none when undefined. */
  readonly cpuProfDir: string | undefined;
  readonly commitIntervalMs: number | undefined;
  /** Extra flags of every clickstream run. */
  readonly processorArgs: readonly string[];
  readonly log: (line: string) => void;
}

/** The built child entry: the same path from `src` (tests) and `dist`, so the child always loads JavaScript. */
export function childMainPath(): string {
  return fileURLToPath(new URL('../../../dist/suites/processor-vs-kafkajs/child-main.js', import.meta.url));
}

export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, number>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
}

const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0);

/**
 * The raw kafkajs consumer in a child: on kafkajs' own fetch decoding (the ceiling), or with the processor's
 * (`decoding`: @tributary/kafka's fixes, checked to be in place).
 */
export async function runRaw(
  admin: Admin,
  s: ContenderSettings,
  topic: string,
  n: number,
  decoding: boolean,
): Promise<ThroughputFigures & Record<string, unknown>> {
  const label = decoding ? 'raw kafkajs + processor decoding' : 'raw kafkajs';
  const group = `${s.runId}-raw-${randomBytes(3).toString('hex')}`;
  const env = decoding
    ? process.env
    : { ...process.env, TRIBUTARY_KAFKAJS_DECODING: 'kafkajs', TRIBUTARY_KAFKAJS_ENCODING: 'kafkajs' };
  const config = JSON.stringify({ brokers: s.brokers, topic, group });
  const handle = spawnNode([childMainPath(), 'raw-consumer', config], s.nodeFlags, env);
  // The child counts its own records (no group commits): done when it printed its line.
  const w = await watchChild(
    handle,
    label,
    s.timeoutMs,
    async () => {
      const done = handle.output().stdout.includes('\n') ? n : 0;
      return { started: done > 0, done, total: n };
    },
    s.log,
  );
  const line = JSON.parse((await stopChild(handle)).stdout.trim()) as RawConsumerLine;
  // The child's own clock and CPU: group joined → all consumed (the parent only saw the end).
  const steadyMs = line.doneAt - line.joinedAt;
  w.first = { at: w.last.at - steadyMs, done: 0, cpuSec: w.last.cpuSec - line.steadyCpuSec };
  await admin.deleteGroups([group]).catch(() => undefined);
  const installed = line.fetchDecoding?.recordBatchDecoder === true && line.fetchDecoding.batch;
  if (installed !== decoding)
    throw new Error(
      `${label}: unexpected fetch decoding in the child (${JSON.stringify(line.fetchDecoding)})`,
    );
  return {
    ...throughputFigures(label, n, w),
    fetchDecoding: line.fetchDecoding,
    mbPerSec: Number((line.bytes / 1e6 / (steadyMs / 1000)).toFixed(2)),
    startUpSec: (line.joinedAt - line.startedAt) / 1000,
    firstRecordAfterJoinSec: (line.firstRecordAt - line.joinedAt) / 1000,
  };
}

/** Node arguments of a processor child: the count job, or the reference app's CLI (this build's or the baseline's). */
export function processorChildArgs(
  s: ContenderSettings,
  job: Job,
  appId: string,
  inputTopic: string,
  mode: ProcessingGuarantee,
  extra: readonly string[],
  baseline?: string,
): string[] {
  const args: string[] = [];
  if (s.cpuProfDir !== undefined) {
    mkdirSync(s.cpuProfDir, { recursive: true });
    args.push('--cpu-prof', '--cpu-prof-dir', s.cpuProfDir, '--cpu-prof-name', `${appId}.cpuprofile`);
  }
  const dist = baseline === undefined ? undefined : baselineDist(baseline, 'processor');
  if (job === 'count') {
    const config: CountJobConfig = {
      processor: dist === undefined ? '@tributary/processor' : pathToFileURL(join(dist, 'index.js')).href,
      brokers: s.brokers,
      applicationId: appId,
      inputTopic,
      processingGuarantee: mode,
      ...(s.commitIntervalMs === undefined ? {} : { commitIntervalMs: s.commitIntervalMs }),
    };
    return [...args, childMainPath(), 'count-job', JSON.stringify(config)];
  }
  return [
    ...args,
    dist === undefined ? processorCliPath() : join(dist, 'cli.js'),
    'clickstream',
    ...processorFlags({
      brokers: s.brokers.join(','),
      applicationId: appId,
      inputTopic,
      resultsTopic: `${appId}-results`,
      lateTopic: `${appId}-late`,
      deadLetterTopic: `${appId}-dlq`,
      repartitionTopic: `${appId}-repartition`,
      processingGuarantee: mode,
      ...(s.commitIntervalMs === undefined ? {} : { commitIntervalMs: s.commitIntervalMs }),
    }),
    ...extra,
    ...s.processorArgs,
  ];
}

/**
 * A processor job in a child with a fresh application id, from the stage-1 group being Stable until its committed
 * offsets reach the end offsets (read with kafkajs admin every 100 ms).
 */
export async function runProcessor(
  admin: Admin,
  s: ContenderSettings,
  topic: string,
  ends: ReadonlyMap<number, number>,
  job: Job,
  mode: ProcessingGuarantee,
  baseline?: string,
): Promise<ThroughputFigures & Record<string, unknown>> {
  const n = sum(ends.values());
  const appId = `${s.runId}-${job}-${mode === 'exactly-once' ? 'eos' : 'alo'}-${randomBytes(3).toString('hex')}`;
  const label = `${job} ${mode}${baseline === undefined ? '' : ' (baseline)'}`;
  const args = processorChildArgs(s, job, appId, topic, mode, ['--no-elasticsearch'], baseline);
  const handle = spawnNode(args, s.nodeFlags);
  try {
    let joined = false;
    const w = await watchChild(
      handle,
      label,
      s.timeoutMs,
      async () => {
        if (!joined) {
          const [group] = (await admin.describeGroups([appId])).groups;
          joined = group?.state === 'Stable';
          if (!joined) return { started: false, done: 0, total: n };
        }
        const [committed] = await admin.fetchOffsets({ groupId: appId, topics: [topic] });
        const done = sum(
          (committed?.partitions ?? []).map((p) =>
            Math.min(Math.max(Number(p.offset), 0), ends.get(p.partition) ?? 0),
          ),
        );
        return { started: true, done, total: n };
      },
      s.log,
    );
    const produced = await producedRecords(admin, appId);
    // The preload is all valid: dead letters mean the figures measure the dead-letter path.
    if ((produced.dlq ?? 0) > 0) s.log(`${label}: WARNING ${produced.dlq} records on the dead-letter topic`);
    return { ...throughputFigures(label, n, w), applicationId: appId, producedRecords: produced };
  } finally {
    const exit = await stopChild(handle);
    if (exit.code !== 0) s.log(`${label} exited ${exit.code ?? exit.signal}: ${exit.stderr.slice(-500)}`);
    await cleanupApp(admin, appId);
  }
}

/** Records the job wrote per output topic (end offsets incl. transaction markers), changelogs and repartition too. */
async function producedRecords(admin: Admin, appId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const topic of (await admin.listTopics()).filter((t) => t.startsWith(appId)))
    out[topic.slice(appId.length + 1)] = sum((await endOffsets(admin, topic)).values());
  return out;
}

/** Deletes the job's topics and groups. */
export async function cleanupApp(admin: Admin, appId: string): Promise<void> {
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(appId));
  if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.deleteGroups([appId, `${appId}-merge`, `${appId}-elasticsearch`]).catch(() => undefined);
}
