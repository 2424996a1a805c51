import { afterAll, describe, expect, inject, it } from 'vitest';
import { ChildJob } from '../helpers/child-job.js';
import { childCounterJobConfig, setUpCounterJob } from '../helpers/counter-job.js';
import { counterMismatches, countsPerKey, keyedMessages } from '../helpers/kafka-harness.js';
import { useKafkaHarness } from '../helpers/kafka-suite.js';

const brokers = inject('kafkaBrokers');
const N = 3_000;
const KEYS = 41;

/** Random integer in [min, max). */
const between = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min));

describe('exactly-once across SIGKILL', () => {
  const { harness, groups } = useKafkaHarness(brokers);
  // Runs before the harness cleanup.
  afterAll(() => {
    ChildJob.killAll();
  });

  it('keeps read_committed results exact when the job is killed -9 three times mid-run', async () => {
    const names = await setUpCounterJob(harness, groups, 'crash', { partitions: 4 });
    const { input, results, applicationId } = names;
    const config = childCounterJobConfig(brokers, names, 1);
    // Each incarnation gets a fresh quarter of the input, so every kill lands while there is work in flight.
    const messages = keyedMessages(N, KEYS);
    const quarter = N / 4;

    for (let kill = 0; kill < 3; kill++) {
      await harness.produce(input, messages.slice(kill * quarter, (kill + 1) * quarter));
      const child = new ChildJob(config);
      await child.started();
      // Kill once this incarnation committed at least once, at a random later point of a batch / transaction.
      await child.processed(between(50, 300), 1);
      await new Promise((r) => setTimeout(r, between(0, 300)));
      child.kill('SIGKILL');
      expect(await child.exited()).toBeNull();
    }

    await harness.produce(input, messages.slice(3 * quarter));
    const survivor = new ChildJob(config);
    await survivor.started();
    const records = await harness.readAll(results, { expected: N, timeoutMs: 90_000 });
    expect(counterMismatches(records, countsPerKey(N, KEYS))).toEqual([]);
    expect(records).toHaveLength(N);

    // The killed incarnations committed work: the survivor restored state and did not redo everything.
    expect(survivor.lastStats?.restoredRecords ?? 0).toBeGreaterThan(0);
    expect(survivor.lastStats?.recordsIn ?? N).toBeLessThan(N);
    survivor.kill('SIGTERM');
    expect(await survivor.exited()).toBe(0);
    const committed = await harness.committedOffsets(applicationId, input);
    for (const [partition, end] of await harness.endOffsets(input))
      expect(committed.get(partition)).toBe(end);
  });

  it('stays exact when one of two instances in the group is killed mid-run', async () => {
    const names = await setUpCounterJob(harness, groups, 'pair', { partitions: 4 });
    const { input, results } = names;
    const config = childCounterJobConfig(brokers, names, 1);

    const a = new ChildJob(config);
    const b = new ChildJob(config);
    await Promise.all([a.started(), b.started()]);
    await harness.produce(input, keyedMessages(N, KEYS));
    await a.processed(between(100, 500), 1);
    a.kill('SIGKILL');
    expect(await a.exited()).toBeNull();

    const records = await harness.readAll(results, { expected: N, timeoutMs: 90_000 });
    expect(counterMismatches(records, countsPerKey(N, KEYS))).toEqual([]);
    expect(records).toHaveLength(N);
    b.kill('SIGTERM');
    expect(await b.exited()).toBe(0);
  });

  it('stays exact when a second instance joins mid-run and partitions move between live members', async () => {
    // Half the input before the second member joins, half after: a fast first member may finish the first half
    // before the join, so the second half is what guarantees the joiner work on the partitions it took over.
    const messages = keyedMessages(N, KEYS);
    const names = await setUpCounterJob(harness, groups, 'join', {
      partitions: 4,
      messages: messages.slice(0, N / 2),
    });
    const config = childCounterJobConfig(brokers, names, 2);
    const { input, results } = names;

    const a = new ChildJob(config);
    await a.started();
    await a.processed(between(200, 600));
    const b = new ChildJob(config);
    await b.started();
    await harness.produce(input, messages.slice(N / 2));
    const records = await harness.readAll(results, { expected: N, timeoutMs: 90_000 });
    expect(counterMismatches(records, countsPerKey(N, KEYS))).toEqual([]);
    expect(records).toHaveLength(N);
    // The joiner took over partitions from the live member mid-run (its stats line may trail the results).
    await b.processed(1, 1);
    expect(b.lastStats?.recordsIn ?? 0).toBeGreaterThan(0);
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    expect(await a.exited()).toBe(0);
    expect(await b.exited()).toBe(0);
  });
});
