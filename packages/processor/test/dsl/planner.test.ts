import { describe, expect, it } from 'vitest';
import { countAggregator } from '../../src/aggregate/builtins.js';
import { streamJob } from '../../src/dsl/stream-job.js';
import { table } from '../../src/dsl/table.js';
import { hopping, session, tumbling } from '../../src/dsl/windows.js';
import { BROKERS, clickCodec } from './fixtures.js';

const job = (options: { partitionedBy?: 'user' | 'page' | ((e: { user: string }) => string) } = {}) =>
  streamJob({ applicationId: 'app', brokers: BROKERS }).source('clicks', clickCodec, options);

describe('the DSL planner', () => {
  it('runs one stage when keyBy names the field the source is partitioned by', () => {
    const plan = job({ partitionedBy: 'user' })
      .keyBy('user')
      .window(tumbling({ size: '1m' }))
      .aggregate(countAggregator())
      .to('counts');
    expect(plan.physical).toEqual({
      kind: 'single-stage',
      tasks: ['WindowedAggregationTask'],
      reason: "the aggregation key is the input's partitioning key (keyBy 'user' = source partitionedBy)",
      inputTopic: 'clicks',
      outputs: { results: 'counts', late: 'app-late', 'dead-letter': 'app-dlq' },
      tables: {},
    });
    const options = plan.toStreamJobOptions();
    expect(options.merge).toBeUndefined();
    expect(options.input).toEqual({ topic: 'clicks' });
  });

  it('runs one stage for the same key function object, or a keyBy marked inputPartitioned', () => {
    const byUser = (e: { user: string }) => e.user;
    const same = job({ partitionedBy: byUser })
      .keyBy(byUser)
      .window(tumbling({ size: '1m' }));
    expect(same.aggregate(countAggregator()).to('counts').physical.kind).toBe('single-stage');
    const marked = job()
      .keyBy((e) => e.page, { inputPartitioned: true })
      .window(tumbling({ size: '1m' }));
    expect(marked.aggregate(countAggregator()).to('counts').explain()).toBe(
      "single-stage (WindowedAggregationTask): the aggregation key is the input's partitioning key (keyBy is marked inputPartitioned)",
    );
  });

  it('re-keys through partial → repartition → merge otherwise, with topics named from applicationId', () => {
    const cases = [
      job().keyBy('page'),
      job({ partitionedBy: 'user' }).keyBy('page'),
      // An equal-looking but different function: the planner cannot tell, so it re-keys (always correct).
      job({ partitionedBy: (e) => e.user }).keyBy((e) => e.user),
      // A map between source and keyBy may change the key.
      job({ partitionedBy: 'user' })
        .map((e) => ({ ...e, user: e.page }))
        .keyBy('user'),
    ];
    for (const keyed of cases) {
      const plan = keyed
        .window(hopping({ size: '1m', advance: '30s' }))
        .aggregate(countAggregator())
        .to('counts');
      expect(plan.physical.kind).toBe('two-stage');
      expect(plan.physical.tasks).toEqual(['PartialAggregationTask', 'MergeTask']);
      const options = plan.toStreamJobOptions();
      expect(options.outputs).toEqual({
        repartition: 'app-repartition',
        results: 'counts',
        late: 'app-late',
        'dead-letter': 'app-dlq',
        'late-partials': 'app-late-partials',
      });
      expect(options.merge?.taskFactory).toBeTypeOf('function');
    }
    expect(
      job()
        .keyBy('page')
        .window(tumbling({ size: '1m' }))
        .aggregate(countAggregator())
        .to('c').physical.reason,
    ).toBe("the aggregation key is not the input's partitioning key (the source declares no partitionedBy)");
  });

  it('side outputs can be renamed or discarded', () => {
    const plan = job()
      .keyBy('page')
      .window(tumbling({ size: '1m' }))
      .aggregate(countAggregator())
      .to('counts', undefined, { late: null, deadLetter: 'bad-clicks', latePartials: 'lp' });
    expect(plan.physical.outputs).toMatchObject({
      late: null,
      'dead-letter': 'bad-clicks',
      'late-partials': 'lp',
    });
  });

  it('session windows run in one stage, and refuse an input not partitioned by the session key', () => {
    const ok = job({ partitionedBy: 'user' })
      .keyBy('user')
      .window(session({ gap: '30m' }));
    expect(ok.aggregate(countAggregator()).to('sessions').physical.tasks).toEqual(['SessionWindowTask']);
    expect(() =>
      job()
        .keyBy('user')
        .window(session({ gap: '30m' }))
        .aggregate(countAggregator())
        .to('s'),
    ).toThrow(expect.objectContaining({ code: 'TRIB_PROC_INVALID_OPTION', option: 'keyBy' }));
  });

  it("emit('updates') with early updates needs one stage", () => {
    const windowed = job()
      .keyBy('page')
      .window(tumbling({ size: '1m' }));
    expect(windowed.aggregate(countAggregator()).emit('updates').to('c').physical.kind).toBe('two-stage');
    expect(() => windowed.aggregate(countAggregator()).emit('updates', { every: '5s' }).to('c')).toThrow(
      expect.objectContaining({ option: 'emit.every' }),
    );
  });

  it('collects enrich tables into the job options, named after their topics', () => {
    const pages = table<{ category: string }>('pages');
    const plan = job()
      .enrich(
        pages,
        (e) => e.page,
        (e, row) => ({ ...e, category: row?.category ?? 'none' }),
      )
      .keyBy('category')
      .window(tumbling({ size: '1m' }))
      .aggregate(countAggregator())
      .to('per-category');
    expect(plan.physical.tables).toEqual({ pages: 'pages' });
    expect(plan.toStreamJobOptions().tables).toEqual({ pages: { topic: 'pages', table: pages.table } });
  });

  it('passes runtime settings through and validates them with createStreamJob’s options', () => {
    const plan = (settings: object) =>
      streamJob({ applicationId: 'app', brokers: BROKERS, ...settings })
        .source('clicks', clickCodec)
        .keyBy('page')
        .window(tumbling({ size: '1m' }), { idleness: '10s' })
        .aggregate(countAggregator())
        .to('counts');
    const options = plan({
      processingGuarantee: 'at-least-once',
      commitIntervalMs: 500,
    }).toStreamJobOptions();
    expect(options).toMatchObject({
      processingGuarantee: 'at-least-once',
      commitIntervalMs: 500,
      idleTimeoutMs: 10_000,
    });
    expect(() => plan({ commitIntervalMs: 1 }).toStreamJobOptions()).toThrow(/commitIntervalMs/);
    expect(() => streamJob({ applicationId: 'bad id', brokers: BROKERS })).toThrow(
      expect.objectContaining({ option: 'applicationId' }),
    );
    expect(() =>
      streamJob({ applicationId: 'app', brokers: BROKERS })
        .source('clicks', clickCodec)
        .keyBy('page')
        .window(tumbling({ size: '1m' }))
        .aggregate(countAggregator())
        .to('clicks')
        .toStreamJobOptions(),
    ).toThrow(/outputs.results must differ from input.topic/);
  });

  it('refuses a second dedupBy, and one table name for two topics', () => {
    expect(() =>
      job()
        .dedupBy((e) => e.id)
        .dedupBy((e) => e.user),
    ).toThrow(expect.objectContaining({ option: 'dedupBy' }));
    const a = table('pages-a', { name: 'pages' });
    const b = table('pages-b', { name: 'pages' });
    const windowed = job()
      .enrich(
        a,
        (e) => e.page,
        (e) => e,
      )
      .enrich(
        b,
        (e) => e.page,
        (e) => e,
      )
      .keyBy('page')
      .window(tumbling({ size: '1m' }));
    expect(() => windowed.aggregate(countAggregator()).to('c')).toThrow(
      expect.objectContaining({ option: 'tables.pages' }),
    );
    expect(() => table('bad topic!')).toThrow(expect.objectContaining({ option: 'table.topic' }));
    expect(() => streamJob({ applicationId: 'app', brokers: BROKERS }).source('', clickCodec)).toThrow(
      expect.objectContaining({ option: 'source.topic' }),
    );
  });

  it('bad durations fail naming the option', () => {
    expect(() => tumbling({ size: '1 minute' as '1m' })).toThrow(
      expect.objectContaining({ option: 'tumbling.size' }),
    );
    expect(() => tumbling({ size: -5 })).toThrow(expect.objectContaining({ option: 'tumbling.size' }));
    expect(() =>
      job()
        .keyBy('page')
        .window(tumbling({ size: '1m' }), { outOfOrderness: '2.5s' as '2s' })
        .aggregate(countAggregator())
        .to('c'),
    ).toThrow(expect.objectContaining({ option: 'window.outOfOrderness' }));
    expect(tumbling({ size: '2h', offset: '90s' })).toEqual({
      kind: 'tumbling',
      sizeMs: 7_200_000,
      offsetMs: 90_000,
    });
  });
});
