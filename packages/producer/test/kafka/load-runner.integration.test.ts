import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAndValidateClickstreamEvent, decodeClickstreamEvent } from '@tributary/schema';
import { createKafkaClient, loadKafkajs } from '@tributary/kafka';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { computeGroundTruth } from '../../src/ground-truth/ground-truth.js';
import { registerLz4Codec } from '@tributary/kafka';
import { runLoad } from '../../src/kafka/load-runner.js';
import { partitionForKey } from '@tributary/kafka';
import { deadPort, deleteTopic, readTopic, uniqueName } from '../helpers/kafka-test-utils.js';

const brokers = inject('kafkaBrokers');
const topics: string[] = [];
const topic = (prefix: string): string => {
  const t = uniqueName(prefix);
  topics.push(t);
  return t;
};

afterAll(async () => {
  for (const t of topics) await deleteTopic(brokers, t);
});

describe('runLoad against a real broker', () => {
  it('writes exactly what the manifest describes: counts, keys, partitions, headers, ground truth', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'producer-it-'));
    const t = topic('prod-it-run');
    const count = 3000;
    try {
      const report = await runLoad({
        brokers,
        topic: t,
        partitions: 3,
        rate: 3000,
        count,
        seed: 7,
        outOfOrderRate: 0.05,
        lateRate: 0.02,
        duplicateRate: 0.02,
        malformedRate: 0.01,
        recordHeaders: true,
        progressIntervalMs: 0,
        manifestPath: join(dir, 'manifest.json'),
        hgrmPath: join(dir, 'produce.hgrm'),
      });
      expect(report.failed).toBe(0);
      expect(report.sent).toBe(count);
      expect(report.partitions).toBe(3);
      expect(report.summary).toMatch(
        /^3000 records sent, [\d.]+ records\/sec \([\d.]+ MB\/sec\), [\d.]+ ms avg latency/,
      );
      expect(report.latency.count).toBe(count);

      const records = await readTopic(brokers, t, count);
      expect(records).toHaveLength(count);
      const faults = new Map<string, number>();
      for (const r of records) {
        expect(r.partition).toBe(partitionForKey(r.key!, 3));
        expect(Object.keys(r.headers).filter((h) => h !== 'trib-fault')).toEqual(['trib-intended-ms']);
        expect(Number(r.headers['trib-intended-ms'])).toBeGreaterThan(Date.now() - 600_000);
        const fault = r.headers['trib-fault'] ?? 'none';
        faults.set(fault.split(':')[0]!, (faults.get(fault.split(':')[0]!) ?? 0) + 1);
        const result = decodeAndValidateClickstreamEvent(r.value);
        if (fault.startsWith('malformed')) {
          expect(result.ok).toBe(false);
          if (fault === 'malformed:truncated' || fault === 'malformed:bad-wire-type') {
            expect(() => decodeClickstreamEvent(r.value)).toThrow(
              expect.objectContaining({ code: 'TRIB_SCHEMA_DECODE_FAILED' }),
            );
          }
        } else {
          expect(result.ok).toBe(true);
          if (result.ok) expect(result.event.userId).toBe(r.key);
        }
      }
      expect(faults.get('malformed') ?? 0).toBe(report.manifest.injected.malformed);
      expect(faults.get('late') ?? 0).toBe(report.manifest.injected.late);
      expect(faults.get('duplicate') ?? 0).toBe(report.manifest.injected.duplicates);

      // A consumer applying the same rules to what it reads back gets exactly the manifest.
      const recomputed = computeGroundTruth(
        records.map((r) => ({ partition: r.partition, value: r.value })),
        { ...report.manifest, injected: report.manifest.injected },
      );
      expect(recomputed).toEqual(report.manifest);
      expect(report.manifest.totals).toEqual({
        sent: count,
        accepted:
          count -
          report.manifest.injected.late -
          report.manifest.injected.duplicates -
          report.manifest.injected.malformed,
        late: report.manifest.injected.late,
        duplicates: report.manifest.injected.duplicates,
        deadLettered: report.manifest.injected.malformed,
      });
      const written = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as unknown;
      expect(written).toEqual(report.manifest);
      const hgrm = await readFile(join(dir, 'produce.hgrm'), 'utf8');
      expect(hgrm).toContain('Value     Percentile TotalCount 1/(1-Percentile)');
      expect(hgrm).toContain(`Total count    =         ${count}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes identical encoded values for the same seed (fixed event-time origin)', async () => {
    const options = {
      brokers,
      partitions: 2,
      rate: 0,
      count: 400,
      seed: 99,
      lateRate: 0.02,
      duplicateRate: 0.02,
      malformedRate: 0.01,
      eventTimeOriginMs: Date.UTC(2026, 0, 1),
      progressIntervalMs: 0,
    };
    const a = topic('prod-it-seed-a');
    const b = topic('prod-it-seed-b');
    await runLoad({ ...options, topic: a });
    await runLoad({ ...options, topic: b });
    const ra = await readTopic(brokers, a, 400);
    const rb = await readTopic(brokers, b, 400);
    expect(rb.map((r) => [r.partition, r.key, r.value.toString('hex')])).toEqual(
      ra.map((r) => [r.partition, r.key, r.value.toString('hex')]),
    );
  });

  it('keeps each partition in generation order with several producers', async () => {
    const options = {
      brokers,
      partitions: 3,
      rate: 0,
      count: 3000,
      batchSize: 200,
      seed: 5,
      recordHeaders: true,
      outOfOrderRate: 0.05,
      lateRate: 0.02,
      duplicateRate: 0.02,
      malformedRate: 0.01,
      eventTimeOriginMs: Date.UTC(2026, 0, 1),
      progressIntervalMs: 0,
    };
    const three = topic('prod-it-three');
    const two = topic('prod-it-two');
    const single = topic('prod-it-single');
    const rw = await runLoad({ ...options, topic: three, producers: 3 });
    const rt = await runLoad({ ...options, topic: two, producers: 2 });
    const rs = await runLoad({ ...options, topic: single, producers: 1 });
    const content = (records: Awaited<ReturnType<typeof readTopic>>): string[][] =>
      records.map((r) => [
        String(r.partition),
        r.key ?? '',
        r.value.toString('hex'),
        r.headers['trib-fault'] ?? 'none',
      ]);
    const [bw, bt, bs] = await Promise.all([
      readTopic(brokers, three, 3000),
      readTopic(brokers, two, 3000),
      readTopic(brokers, single, 3000),
    ]);
    // Same records, in the same order in every partition, whatever sent them.
    expect(content(bw)).toEqual(content(bs));
    expect(content(bt)).toEqual(content(bs));
    for (const [report, back] of [
      [rw, bw],
      [rt, bt],
      [rs, bs],
    ] as const) {
      expect(report.failed).toBe(0);
      expect(report.sent).toBe(3000);
      const truth = computeGroundTruth(
        back.map((r) => ({ partition: r.partition, value: r.value })),
        { ...report.manifest },
      );
      expect(truth).toEqual(report.manifest);
      for (const r of back) expect(Object.keys(r.headers)).toContain('trib-intended-ms');
    }
    expect({ ...rw.manifest, topic: single }).toEqual(rs.manifest);
  });

  it('writes the same records in the same per-partition order from sender threads as from the main thread', async () => {
    const options = {
      brokers,
      partitions: 3,
      rate: 0,
      count: 3000,
      batchSize: 200,
      seed: 11,
      outOfOrderRate: 0.05,
      lateRate: 0.02,
      duplicateRate: 0.02,
      malformedRate: 0.01,
      eventTimeOriginMs: Date.UTC(2026, 0, 1),
      progressIntervalMs: 0,
    };
    const variants: { senderThreads: number; producers?: number; maxInFlightBatches?: number }[] = [
      { senderThreads: 0 },
      { senderThreads: 1 },
      { senderThreads: 2, producers: 3 },
      { senderThreads: 1, maxInFlightBatches: 2 },
    ];
    const names = variants.map((_, i) => topic(`prod-it-threads-${i}`));
    const reports = [];
    for (const [i, v] of variants.entries())
      reports.push(await runLoad({ ...options, ...v, topic: names[i]! }));
    const backs = await Promise.all(names.map((n) => readTopic(brokers, n, 3000)));
    const content = (records: Awaited<ReturnType<typeof readTopic>>): string[][] =>
      records.map((r) => [String(r.partition), r.key ?? '', r.value.toString('hex')]);
    for (const [i, report] of reports.entries()) {
      expect(report.failed).toBe(0);
      expect(report.sent).toBe(3000);
      // Every acknowledgement, from whichever thread, counted from its record's intended time.
      expect(report.latency.count).toBe(3000);
      expect(report.latency.avgMs).toBeGreaterThan(0);
      if (variants[i]!.maxInFlightBatches === undefined) {
        // One send at a time per producer: the log is the generation order, whichever thread sent it.
        expect(content(backs[i]!)).toEqual(content(backs[0]!));
        expect({ ...report.manifest, topic: names[0] }).toEqual(reports[0]!.manifest);
      } else {
        // Two at once: a retried send may land after a later one (as on the main thread); same records, and the
        // manifest still describes the log as it is.
        expect(content(backs[i]!).sort()).toEqual(content(backs[0]!).sort());
      }
      expect(
        computeGroundTruth(
          backs[i]!.map((r) => ({ partition: r.partition, value: r.value })),
          { ...report.manifest },
        ),
      ).toEqual(report.manifest);
    }
  });

  it('round-trips through the broker with gzip, and with the pure-JS LZ4 frame codec', async () => {
    const g = topic('prod-it-gzip');
    const rg = await runLoad({
      brokers,
      topic: g,
      partitions: 1,
      rate: 0,
      count: 300,
      compression: 'gzip',
      progressIntervalMs: 0,
    });
    expect(rg.sent).toBe(300);
    expect(await readTopic(brokers, g, 300)).toHaveLength(300);

    const j = topic('prod-it-lz4js');
    expect(registerLz4Codec('js')).toBe('js');
    try {
      const rj = await runLoad({
        brokers,
        topic: j,
        partitions: 1,
        rate: 0,
        count: 300,
        compression: 'lz4',
        progressIntervalMs: 0,
      });
      expect(rj.failed).toBe(0);
      const back = await readTopic(brokers, j, 300);
      const truth = computeGroundTruth(
        back.map((r) => ({ partition: r.partition, value: r.value })),
        { ...rj.manifest },
      );
      expect(truth).toEqual(rj.manifest);
    } finally {
      expect(registerLz4Codec('native')).toBe('native');
    }
  });

  it('stops on abort, leaves warm-up out of the latency figures, and still describes exactly what was written', async () => {
    const t = topic('prod-it-abort');
    const abort = new AbortController();
    const progress: string[] = [];
    const run = runLoad(
      {
        brokers,
        topic: t,
        partitions: 2,
        rate: 2000,
        durationMs: 60_000,
        warmupMs: 300,
        progressIntervalMs: 200,
        lateRate: 0.02,
        duplicateRate: 0.02,
      },
      {
        signal: abort.signal,
        onProgress: (line) => {
          // Stop after ~1.4 s of sending (the first line comes 200 ms after the start).
          if (progress.push(line) === 7) abort.abort();
        },
      },
    );
    const report = await run;
    expect(report.sent).toBeGreaterThan(500);
    expect(report.sent).toBeLessThan(60_000 * 2);
    expect(report.failed).toBe(0);
    // Records intended in the first 300 ms (~600) are sent but not in the latency histogram.
    expect(report.latency.count).toBeLessThan(report.sent - 400);
    expect(report.latency.count).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[0]).toMatch(
      /^\[[\d.]+s\] [\d.]+ records\/sec, sent \d+, acked \d+, errors 0, p99 ack latency [\d.]+ ms/,
    );
    const back = await readTopic(brokers, t, report.sent);
    expect(back).toHaveLength(report.sent);
    expect(
      computeGroundTruth(
        back.map((r) => ({ partition: r.partition, value: r.value })),
        { ...report.manifest },
      ),
    ).toEqual(report.manifest);
  });

  it('creates a missing topic with the given partitions and retention, and refuses a partition mismatch', async () => {
    const t = topic('prod-it-topic');
    const report = await runLoad({
      brokers,
      topic: t,
      partitions: 3,
      retentionMs: 3_600_000,
      rate: 0,
      count: 20,
      progressIntervalMs: 0,
    });
    expect(report.partitions).toBe(3);
    const admin = createKafkaClient({ clientId: 'producer-tests', brokers }).admin();
    await admin.connect();
    try {
      const configs = await admin.describeConfigs({
        resources: [
          { type: loadKafkajs().ConfigResourceTypes.TOPIC, name: t, configNames: ['retention.ms'] },
        ],
        includeSynonyms: false,
      });
      expect(
        configs.resources[0]!.configEntries.find((e) => e.configName === 'retention.ms')?.configValue,
      ).toBe('3600000');
    } finally {
      await admin.disconnect();
    }
    await expect(
      runLoad({ brokers, topic: t, partitions: 5, count: 1, progressIntervalMs: 0 }),
    ).rejects.toMatchObject({
      code: 'TRIB_PRODUCER_TOPIC_MISMATCH',
    });
    await expect(
      runLoad({
        brokers,
        topic: topic('prod-it-missing'),
        createTopic: false,
        count: 1,
        progressIntervalMs: 0,
      }),
    ).rejects.toMatchObject({
      code: 'TRIB_PRODUCER_TOPIC_SETUP_FAILED',
    });
  });

  it('fails with a retriable connect error when no broker listens', async () => {
    const port = await deadPort();
    await expect(
      runLoad({
        brokers: [`127.0.0.1:${port}`],
        topic: 'never-created',
        count: 10,
        retries: 1,
        connectionTimeoutMs: 500,
        progressIntervalMs: 0,
      }),
    ).rejects.toMatchObject({ code: 'TRIB_PRODUCER_CONNECT_FAILED', retriable: true });
  });
});
