import { afterEach, describe, expect, it } from 'vitest';
import { countAggregator } from '../../src/aggregate/builtins.js';
import { streamJob } from '../../src/dsl/stream-job.js';
import { table } from '../../src/dsl/table.js';
import { session, tumbling } from '../../src/dsl/windows.js';
import { JobTestDriver } from '../../src/testing/index.js';
import { BROKERS, click, clickCodec } from './fixtures.js';

let drivers: JobTestDriver[] = [];
afterEach(async () => {
  for (const d of drivers) await d.close();
  drivers = [];
});

function driverFor(...args: ConstructorParameters<typeof JobTestDriver>): JobTestDriver {
  const driver = new JobTestDriver(...args);
  drivers.push(driver);
  return driver;
}

const settings = { applicationId: 'app', brokers: BROKERS };
/**
 * Processing time after which every window of these tests is closed (idle partitions' watermarks follow the clock).
 * Not a jump to the far future: from epoch-near event times the clock moves watermarks at every commit.
 */
const CLOSE_ALL_MS = 600_000;

/** Counts per page (re-keyed: two stages) and per user (the input's key: one stage), from one streamJob. */
function twoPipelines() {
  const job = streamJob(settings);
  const clicks = () => job.source('clicks', clickCodec, { partitionedBy: 'user' });
  const perPage = clicks()
    .keyBy('page')
    .window(tumbling({ size: '1m' }))
    .aggregate(countAggregator());
  const perUser = clicks()
    .keyBy('user')
    .window(session({ gap: '30s' }))
    .aggregate(countAggregator())
    .to('user-sessions', undefined, { late: null });
  return { job, clicks, perPage, perUser };
}

const code = (error: unknown) => (error as { code?: string }).code;

function thrown(fn: () => unknown): { code: string | undefined; message: string } {
  try {
    fn();
  } catch (error) {
    return { code: code(error), message: (error as Error).message };
  }
  throw new Error('did not throw');
}

describe('StreamPlan.alongside: a second pipeline as a stage of its own', () => {
  it('adds an extra stage in group `${applicationId}-${name}` whose outputs are named after it', () => {
    const { perPage, perUser } = twoPipelines();
    const plan = perPage.to('page-counts').alongside('users', perUser);
    const options = plan.toStreamJobOptions();
    expect(options.outputs).toEqual({
      repartition: 'app-repartition',
      results: 'page-counts',
      late: 'app-late',
      'dead-letter': 'app-dlq',
      'late-partials': 'app-late-partials',
      users: 'user-sessions',
      'users-late': null,
      'users-dead-letter': 'app-dlq',
    });
    expect(options.extraStages?.map((s) => ({ name: s.name, input: s.input }))).toEqual([
      { name: 'users', input: { topic: 'clicks' } },
    ]);
    expect(plan.explain()).toMatch(/^two-stage .*; stage users: single-stage \(SessionWindowTask\)/);
  });

  it('runs both pipelines on the same input, each with its own committed offsets', async () => {
    const { perPage, perUser } = twoPipelines();
    const driver = driverFor(perPage.to('page-counts').alongside('users', perUser).toStreamJobOptions(), {
      partitions: { clicks: 2 },
    });
    const events = [
      { user: 'u1', page: '/a', ts: 1_000 },
      { user: 'u2', page: '/a', ts: 2_000 },
      { user: 'u1', page: '/b', ts: 5_000 },
      { user: 'u1', page: '/a', ts: 200_000 },
    ];
    await driver.pipeAll(
      'clicks',
      events.map((e) => ({ key: e.user, value: click(e) })),
    );
    await driver.advanceTime(CLOSE_ALL_MS);
    const results = (output: string) =>
      driver
        .readValues(output, (v) => JSON.parse(v.toString('utf8')) as { key: string; result: number })
        .filter((r) => r.result > 0)
        .map((r) => `${r.key}=${r.result}`)
        .sort();
    expect(results('results')).toEqual(['/a=1', '/a=2', '/b=1']);
    expect(results('users')).toEqual(['u1=1', 'u1=2', 'u2=1']);
    const offsets = (stage: string) => [0, 1].map((p) => driver.committedOffset(stage, p) ?? 0);
    expect(offsets('app-users')).toEqual(offsets('app'));
    expect(offsets('app').reduce((a, b) => a + b)).toBe(4);
  });

  it('refuses a pipeline of another streamJob, one of two stages, a reused name and clashing outputs', () => {
    const { perPage, perUser, clicks } = twoPipelines();
    const main = perPage.to('page-counts');
    const other = streamJob({ ...settings })
      .source('clicks', clickCodec, { partitionedBy: 'user' })
      .keyBy('user')
      .window(tumbling({ size: '1m' }))
      .aggregate(countAggregator())
      .to('x');
    expect(thrown(() => main.alongside('other', other))).toEqual({
      code: 'TRIB_PROC_INVALID_OPTION',
      message: expect.stringContaining('alongside.other') as string,
    });
    const reKeyed = clicks()
      .keyBy('page')
      .window(tumbling({ size: '1m' }))
      .aggregate(countAggregator());
    expect(thrown(() => main.alongside('pages', reKeyed.to('y'))).message).toMatch(/must plan to one stage/);
    expect(thrown(() => main.alongside('merge', perUser)).message).toMatch(/not "merge"/);
    expect(thrown(() => main.alongside('users', perUser).alongside('users', perUser)).message).toMatch(
      /must be unique/,
    );
    const clashing = perPage.to('page-counts', undefined, { extraOutputs: { users: 'elsewhere' } });
    expect(thrown(() => clashing.alongside('users', perUser).toStreamJobOptions()).message).toMatch(
      /writes output users/,
    );
  });
});

describe('WindowedStream.acceptedTo: every accepted element to a topic', () => {
  const categories = table<{ category: string }>('pages', { name: 'categories' });
  const plan = (output?: string) =>
    streamJob(settings)
      .source('clicks', clickCodec, { partitionedBy: 'user' })
      .dedupBy((e) => e.id)
      .keyBy('page')
      .window(tumbling({ size: '10s' }), { outOfOrderness: '1s' })
      .acceptedTo(
        'accepted-clicks',
        (e, record) => ({
          key: Buffer.from(e.id),
          value: Buffer.from(
            `${e.page}:${categories.table.lookup(e.page)?.category ?? '-'}@${record.partition}/${record.offset}`,
          ),
        }),
        { tables: [categories], ...(output === undefined ? {} : { output }) },
      )
      .aggregate(countAggregator())
      .to('counts');

  it('plans the output (`accepted` unless named) and loads the tables the encoder reads', () => {
    const options = plan().toStreamJobOptions();
    expect(options.outputs).toMatchObject({ accepted: 'accepted-clicks', repartition: 'app-repartition' });
    expect(Object.keys(options.tables ?? {})).toEqual(['categories']);
    expect(options.tables?.categories?.topic).toBe('pages');
    expect(plan('seen').physical.outputs).toMatchObject({ seen: 'accepted-clicks' });
  });

  it('writes exactly the counted elements — not the late, the duplicates or the invalid — joined with the table', async () => {
    const driver = driverFor(plan('seen').toStreamJobOptions(), { partitions: { clicks: 1 } });
    await driver.pipe('pages', { key: '/a', value: JSON.stringify({ category: 'news' }) });
    const events = [
      { key: 'u1', value: click({ id: 'a1', page: '/a', ts: 1_000 }) },
      { key: 'u1', value: click({ id: 'a1', page: '/a', ts: 1_500 }) }, // duplicate
      { key: 'u1', value: click({ id: 'b1', page: '/b', ts: 30_000 }) },
      { key: 'u1', value: click({ id: 'a2', page: '/a', ts: 2_000 }) }, // late: its window closed at 11 s
      { key: 'u1', value: 'not json' }, // dead letter
    ];
    await driver.pipeAll('clicks', events);
    await driver.advanceTime(CLOSE_ALL_MS);
    expect(driver.readOutput('seen').map((r) => `${r.key!.toString()} ${r.value!.toString()}`)).toEqual([
      'a1 /a:news@0/0',
      'b1 /b:-@0/2',
    ]);
    expect(driver.readOutput('late')).toHaveLength(1);
    expect(driver.readOutput('dead-letter')).toHaveLength(1);
  });

  it('is refused on a single-stage job, twice, or under a planner output name', () => {
    const keyed = streamJob(settings).source('clicks', clickCodec, { partitionedBy: 'user' });
    const encode = () => ({ key: null, value: Buffer.from('x') });
    const single = keyed
      .keyBy('user')
      .window(tumbling({ size: '1m' }))
      .acceptedTo('seen', encode);
    expect(thrown(() => single.aggregate(countAggregator()).to('counts')).message).toMatch(
      /acceptedTo.*needs a two-stage job/,
    );
    const twice = keyed
      .keyBy('page')
      .window(tumbling({ size: '1m' }))
      .acceptedTo('seen', encode);
    expect(thrown(() => twice.acceptedTo('seen', encode)).message).toMatch(/once per pipeline/);
    const named = keyed
      .keyBy('page')
      .window(tumbling({ size: '1m' }))
      .acceptedTo('seen', encode, { output: 'results' });
    expect(thrown(() => named.aggregate(countAggregator()).to('counts')).message).toMatch(
      /acceptedTo\.output/,
    );
  });
});

describe('sink and window settings of two-stage jobs', () => {
  const counted = (heartbeat?: string) =>
    streamJob(settings)
      .source('clicks', clickCodec)
      .keyBy('page')
      .window(
        tumbling({ size: '1m' }),
        heartbeat === undefined ? {} : { watermarkHeartbeat: heartbeat as '1s' },
      )
      .aggregate(countAggregator());

  it('names the repartition topic and adds extra outputs; an extra output may not take a planner name', () => {
    const options = counted()
      .to('counts', undefined, {
        repartition: 'between',
        extraOutputs: { refused: 'refused-topic', off: null },
      })
      .toStreamJobOptions();
    expect(options.outputs).toMatchObject({ repartition: 'between', refused: 'refused-topic', off: null });
    expect(thrown(() => counted().to('counts', undefined, { extraOutputs: { late: 'x' } })).message).toMatch(
      /extraOutputs\.late/,
    );
  });

  it('watermarkHeartbeat: stage 1 re-sends an unchanged watermark that often while its partition is active', async () => {
    const watermarkRecords = async (heartbeat: string) => {
      const driver = driverFor(counted(heartbeat).to('counts').toStreamJobOptions());
      for (let i = 0; i < 20; i++) {
        await driver.pipe('clicks', { key: 'u1', value: click({ page: '/a', ts: 1_000 }) });
        await driver.advanceTime(200);
      }
      return driver.readOutput('repartition').length;
    };
    expect(await watermarkRecords('200ms')).toBeGreaterThan(await watermarkRecords('10s'));
    expect(thrown(() => counted('1x').to('counts')).message).toMatch(/window\.watermarkHeartbeat/);
  });
});
