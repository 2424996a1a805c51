import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ClickstreamGenerator, computeGroundTruth } from '@tributary/producer';
import type { GroundTruthEntry } from '@tributary/producer';
import {
  RECORD_FUTURE_SKEW_MS,
  decodeAndValidateClickstreamEvent,
  decodeWindowResult,
  encodeClickstreamEvent,
} from '@tributary/schema';
import type { IHeaders } from '@tributary/kafka';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CLICKSTREAM_RULES as RULES } from '../helpers/clickstream-rules.js';
import { deleteIndices, elasticsearchClient } from '../helpers/elasticsearch.js';
import { uniqueName } from '../helpers/kafka-harness.js';
import { resultMismatches } from '../helpers/window-results.js';
import { useKafkaHarness } from '../helpers/kafka-suite.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const DEVSTACK_CLI = fileURLToPath(new URL('../../../devstack/dist/cli.js', import.meta.url));
const brokers = inject('kafkaBrokers');
const esUrl = inject('elasticsearchUrl');
const esPid = inject('elasticsearchPid');
const PARTITIONS = 4;
const PHASES = 5;
const EVENTS_PER_PHASE = 700;

/** One input record as produced: where it goes, its bytes, its explicit record timestamp and headers. */
interface InputRecord {
  partition: number;
  key: string;
  value: Buffer;
  timestamp: number;
  headers?: IHeaders;
  /** What it is, for the assertion messages. */
  kind: string;
}

/** `tributary-processor clickstream` (the built CLI) in a child process, so it can be killed -9 for real. */
class ProcessorProcess {
  static readonly #live = new Set<ChildProcess>();
  readonly #child: ChildProcess;
  readonly exited: Promise<number | null>;
  output = '';

  static killAll(): void {
    for (const child of ProcessorProcess.#live) child.kill('SIGKILL');
  }

  constructor(args: string[]) {
    this.#child = spawn(process.execPath, [CLI, 'clickstream', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child.stdout!.on('data', (c: Buffer) => (this.output += c.toString()));
    this.#child.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
    ProcessorProcess.#live.add(this.#child);
    this.exited = new Promise((resolve) =>
      this.#child.on('exit', (code) => {
        ProcessorProcess.#live.delete(this.#child);
        resolve(code);
      }),
    );
  }

  async running(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes('clickstream running')) {
      if (this.#child.exitCode !== null)
        throw new Error(`processor exited early (exit ${this.#child.exitCode}): ${this.output.slice(-8000)}`);
      if (Date.now() > deadline) throw new Error(`processor did not start: ${this.output.slice(-3000)}`);
      await sleep(100);
    }
  }

  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }
}

const started = Date.now();
/** Progress of the scenario on the test's output (a long test should say where it is). */
const step = (what: string): void =>
  console.log(`[chaos +${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
/** `tributary-devstack restart kafka --signal kill`, in its own process; resolves with what it printed. */
function restartBroker(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEVSTACK_CLI, 'restart', 'kafka', '--signal', 'kill'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(output.trim().split('\n').at(-1) ?? '')
        : reject(new Error(`restart failed: ${output}`)),
    );
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min));

/** The generated clickstream plus hostile records, each with its partition, an explicit record timestamp. */
function buildInput(): InputRecord[][] {
  const generated = new ClickstreamGenerator({
    ...RULES,
    seed: 2026,
    partitions: PARTITIONS,
    eventsPerSecond: 20,
    pages: 20,
    users: 300,
    outOfOrderRate: 0.05,
    lateRate: 0.02,
    duplicateRate: 0.02,
    malformedRate: 0.02,
  }).take(PHASES * EVENTS_PER_PHASE);
  const phases: InputRecord[][] = [];
  for (let phase = 0; phase < PHASES; phase++) {
    const now = Date.now();
    const records: InputRecord[] = generated
      .slice(phase * EVENTS_PER_PHASE, (phase + 1) * EVENTS_PER_PHASE)
      .map((r, i) => ({
        partition: r.partition,
        key: r.key,
        value: Buffer.from(r.value),
        timestamp: now,
        kind: 'generated',
        // Every 40th record carries a header without a value and a binary one.
        ...(i % 40 === 0
          ? { headers: { 'x-none': null, 'x-bin': Buffer.from([0xff, 0x00]) } as unknown as IHeaders }
          : {}),
      }));
    const p = phase % PARTITIONS;
    const base = generated[phase * EVENTS_PER_PHASE]!.event;
    const hostile = (kind: string, fields: Record<string, unknown>, headers?: IHeaders): InputRecord => ({
      partition: p,
      key: `hostile-${kind}`,
      value: Buffer.from(encodeClickstreamEvent({ ...base, eventId: `hostile-${kind}-${phase}`, ...fields })),
      timestamp: now,
      kind,
      ...(headers === undefined ? {} : { headers }),
    });
    records.splice(
      between(0, records.length),
      0,
      // A 600 KB page_url: it once halted the job for good (every commit over the broker's limit).
      hostile('oversized-page-url', { pageUrl: `/${'p'.repeat(600_000)}` }),
      // A 1.5 MB event (the input topic takes 3 MB): its dead-letter copy is over the 1 MB limit, truncated.
      hostile('over-1mb', { referrer: 'r'.repeat(1_500_000) }),
      // 55 minutes ahead of its own record's timestamp: must not move the partition's watermark.
      hostile('future-dated', { timestamp: now + 55 * 60_000 }),
      // Undecodable, with a null header.
      {
        ...hostile('malformed', {}, { 'x-none': null } as unknown as IHeaders),
        value: Buffer.from([0x0a, 0xff, 0xff]),
      },
    );
    phases.push(records);
  }
  return phases;
}

describe('chaos: kill -9, Elasticsearch paused, broker restarted, hostile events — every window exact', () => {
  const suffix = uniqueName('chaos');
  // The suite's cleanup deletes every topic of the run (they all start with the suffix).
  const { harness, groups } = useKafkaHarness(brokers, [suffix]);
  const applicationId = `${suffix}-app`;
  const indexPrefix = `${suffix}-idx`;
  const topics = {
    input: `${suffix}-events`,
    results: `${suffix}-metrics`,
    late: `${suffix}-late`,
    dlq: `${suffix}-dlq`,
    repartition: `${suffix}-repartition`,
    indexDlq: `${suffix}-metrics-index-dlq`,
  };
  const es = elasticsearchClient(esUrl);

  afterAll(async () => {
    ProcessorProcess.killAll();
    if (esPid !== undefined) process.kill(-esPid, 'SIGCONT');
    await deleteIndices(es, indexPrefix);
  });

  it(
    'kill -9 four times, Elasticsearch SIGSTOPped, the broker restarted; hostile events dead-lettered with their reasons',
    { timeout: 600_000 },
    async () => {
      if (esPid === undefined)
        throw new Error(
          'the Elasticsearch pid is unknown: this test suspends Elasticsearch with SIGSTOP, so it needs the node the ' +
            'devstack started (not one it found running on the port)',
        );
      groups.push(applicationId, `${applicationId}-merge`, `${applicationId}-elasticsearch`);
      const admin = harness.kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [
          {
            topic: topics.input,
            numPartitions: PARTITIONS,
            configEntries: [{ name: 'max.message.bytes', value: String(3 * 1024 * 1024) }],
          },
        ],
        waitForLeaders: true,
      });
      await admin.disconnect();
      const args = [
        `--brokers=${brokers.join(',')}`,
        `--application-id=${applicationId}`,
        `--input-topic=${topics.input}`,
        `--results-topic=${topics.results}`,
        `--late-topic=${topics.late}`,
        `--late-partials-topic=${topics.late}-partials`,
        `--dead-letter-topic=${topics.dlq}`,
        `--repartition-topic=${topics.repartition}`,
        `--index-dead-letter-topic=${topics.indexDlq}`,
        `--es-url=${esUrl}`,
        `--index-prefix=${indexPrefix}`,
        '--commit-interval-ms=100',
        '--idle-timeout-ms=1000',
        // A killed incarnation's partitions are taken over after this (Kafka's session timeout).
        '--session-timeout-ms=6000',
        '--log-level=warn',
      ];
      const phases = buildInput();
      const all = phases.flat();
      const entries: GroundTruthEntry[] = all.map((r) => ({
        partition: r.partition,
        value: r.value,
        timestamp: r.timestamp,
      }));
      const manifest = computeGroundTruth(entries, { ...RULES, partitions: PARTITIONS });
      expect(manifest.totals.late).toBeGreaterThan(0);
      expect(manifest.totals.duplicates).toBeGreaterThan(0);

      let results = harness.tail(topics.results);
      let tailing = false;
      const exits: Array<number | null> = [];
      const produce = (records: InputRecord[]) =>
        harness.produce(
          topics.input,
          records.map((r) => ({
            key: r.key,
            value: r.value,
            partition: r.partition,
            timestamp: String(r.timestamp),
            ...(r.headers === undefined ? {} : { headers: r.headers }),
          })),
        );
      /** Starts an incarnation and waits until it has committed results beyond what the topic held. */
      const incarnation = async (): Promise<ProcessorProcess> => {
        const before = results.records.length;
        const child = new ProcessorProcess(args);
        void child.exited.then((code) => exits.push(code));
        await child.running();
        if (!tailing) {
          await results.start(); // the job created the results topic
          tailing = true;
        }
        await results.waitFor((r) => r.length > before, 60_000);
        return child;
      };
      const killNow = async (child: ProcessorProcess): Promise<void> => {
        await sleep(between(0, 400));
        child.kill('SIGKILL');
        expect(await child.exited).toBeNull();
      };

      // 1. kill -9 at a random moment of a busy incarnation.
      step('phase 1: produce, start, kill -9');
      await produce(phases[0]!);
      await killNow(await incarnation());

      step('phase 2: Elasticsearch suspended');
      // 2. Elasticsearch suspended for many flush cycles while the processor works, then resumed; kill -9 after.
      await produce(phases[1]!);
      let child = await incarnation();
      process.kill(-esPid, 'SIGSTOP');
      try {
        await sleep(6_000);
      } finally {
        process.kill(-esPid, 'SIGCONT');
      }
      expect(child.alive, `the processor exited: ${child.output.slice(-8000)}`).toBe(true);
      await killNow(child);

      step('phase 3: broker restart');
      // 3. The broker restarted under a running processor; it rides it out; kill -9 after.
      await produce(phases[2]!);
      child = await incarnation();
      // The test's own reader is not under test: stopped while the broker is down, started afresh after.
      await results.stop();
      // The devstack's CLI restarts its broker (same ports, data and TRIBUTARY_* environment as the global setup).
      const restarted = await restartBroker();
      results = harness.tail(topics.results);
      await results.start();
      step(`broker restarted: ${restarted}`);
      const beforePhase3 = results.records.length;
      await produce(phases[3]!);
      // The same incarnation goes on after the broker came back: new results are committed.
      await results.waitFor((r) => r.length > beforePhase3, 90_000);
      expect(results.records.length).toBeGreaterThan(beforePhase3);
      expect(child.alive, `the processor exited: ${child.output.slice(-8000)}`).toBe(true);
      await killNow(child);

      step('phase 4: kill -9 right after start');
      // 4. kill -9 right after it starts consuming.
      await produce(phases[4]!);
      const short = new ProcessorProcess(args);
      void short.exited.then((code) => exits.push(code));
      await short.running();
      await killNow(short);

      step('phase 5: the survivor finishes');
      // 5. The survivor finishes: every window exact on the results topic and in Elasticsearch.
      const survivor = new ProcessorProcess(args);
      void survivor.exited.then((code) => exits.push(code));
      await survivor.running();
      try {
        await results.waitFor((r) => resultMismatches(manifest, r).length === 0, 120_000);
        expect(resultMismatches(manifest, results.records)).toEqual([]);
        // Versions only grow per window in the order they were committed (one partition per page).
        const versions = new Map<string, number>();
        for (const r of results.records) {
          const w = decodeWindowResult(r.value!);
          const k = `${w.windowStart}|${w.pageUrl}`;
          expect(w.version).toBeGreaterThan(versions.get(k) ?? 0);
          versions.set(k, w.version);
        }

        step('results exact; Elasticsearch next');
        const expected = new Map(manifest.windows.map((w) => [`${w.windowStart}|${w.pageUrl}`, w]));
        let hits: {
          _source: { page_url: string; window_start: number; click_count: number; view_count: number };
        }[] = [];
        const deadline = Date.now() + 90_000;
        const exact = () =>
          hits.length === expected.size &&
          hits.every((h) => {
            const w = expected.get(`${h._source.window_start}|${h._source.page_url}`);
            return (
              w !== undefined &&
              w.clickCount === h._source.click_count &&
              w.viewCount === h._source.view_count
            );
          });
        while (Date.now() < deadline) {
          await es(`/${indexPrefix}/_refresh`, { method: 'POST' });
          const body = (await es(`/${indexPrefix}/_search?size=10000`)) as { hits?: { hits: typeof hits } };
          hits = body.hits?.hits ?? [];
          if (exact()) break;
          await sleep(500);
        }
        expect(hits).toHaveLength(expected.size);
        expect(exact()).toBe(true);

        step('Elasticsearch exact; dead letters next');
        // Every bad event is in the dead-letter topic once, with the reason the ground truth's rules give.
        const dlq = await harness.readAll(topics.dlq, { expected: manifest.totals.deadLettered });
        expect(dlq).toHaveLength(manifest.totals.deadLettered);
        const byPartition = new Map<number, InputRecord[]>();
        for (const r of all) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
        const kinds = new Set<string>();
        for (const letter of dlq) {
          const partition = Number(letter.headers['tributary.source.partition']);
          const offset = Number(letter.headers['tributary.source.offset']);
          const source = byPartition.get(partition)![offset]!;
          const verdict = decodeAndValidateClickstreamEvent(source.value, {
            nowMs: source.timestamp,
            maxFutureSkewMs: RECORD_FUTURE_SKEW_MS,
          });
          expect(verdict.ok).toBe(false);
          if (verdict.ok) continue;
          expect([
            source.kind,
            letter.headers['tributary.error.code'],
            letter.headers['tributary.error.reason'],
          ]).toEqual([source.kind, verdict.error.code, verdict.error.reason]);
          kinds.add(source.kind);
          // The copy keeps the source's headers, a header without a value included.
          if (source.headers !== undefined)
            for (const name of Object.keys(source.headers)) expect(letter.headerNames).toContain(name);
          if (source.kind === 'over-1mb') {
            // Over the dead-letter topic's own limit: truncated, saying so, still with its reason.
            expect(letter.headers['tributary.error.truncated']).toBe('true');
            expect(letter.value!.length).toBeLessThan(1_048_576);
          }
        }
        expect([...kinds].sort()).toEqual([
          'future-dated',
          'generated',
          'malformed',
          'over-1mb',
          'oversized-page-url',
        ]);
        const late = await harness.readAll(topics.late, { expected: manifest.totals.late });
        expect(late).toHaveLength(manifest.totals.late);
        // Nothing was refused by Elasticsearch.
        expect(await harness.readAll(topics.indexDlq, { expected: 0, settleMs: 500 })).toEqual([]);
      } finally {
        survivor.kill('SIGTERM');
        await survivor.exited;
        await results.stop();
      }
      // Only the kills ended incarnations (SIGKILL → null), the survivor stopped cleanly.
      expect(exits).toEqual([null, null, null, null, 0]);
    },
  );
});
