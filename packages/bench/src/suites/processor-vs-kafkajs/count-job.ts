import type * as Processor from '@tributary/processor';
import type { ProcessingGuarantee } from '@tributary/processor';
import type { ClickstreamProjection } from '@tributary/schema';

export interface CountJobConfig {
  /** `@tributary/processor`, or the `dist/index.js` of a baseline checkout's. */
  readonly processor: string;
  readonly brokers: readonly string[];
  readonly applicationId: string;
  readonly inputTopic: string;
  readonly processingGuarantee: ProcessingGuarantee;
  /** @defaultValue the job's default */
  readonly commitIntervalMs?: number;
}

/**
 * The benchmark job in its plainest form, built only with the processor's public API: an exactly-once
 * 1-minute tumbling count of events per page_url. Stage 1 decodes the fields it reads (the projection decoder, still
 * validated: a bad event goes to the dead-letter topic), applies the event-time contract (B = 5 s, no dedup) and
 * pre-aggregates per (page, window); stage 2 merges the partials and writes JSON results. Stops on SIGTERM/SIGINT.
 */
export async function runCountJob(config: CountJobConfig): Promise<void> {
  const p = (await import(config.processor)) as typeof Processor;
  const app = config.applicationId;
  const window = new p.TumblingWindows({ sizeMs: 60_000 });
  const decode = p.clickstreamDecoder({ projection: true });
  const job = p.createStreamJob({
    applicationId: app,
    brokers: [...config.brokers],
    input: { topic: config.inputTopic },
    outputs: {
      results: `${app}-results`,
      repartition: `${app}-repartition`,
      late: `${app}-late`,
      'dead-letter': `${app}-dlq`,
    },
    processingGuarantee: config.processingGuarantee,
    ...(config.commitIntervalMs === undefined ? {} : { commitIntervalMs: config.commitIntervalMs }),
    taskFactory: (_topic, partition) =>
      new p.PartialAggregationTask({
        inputPartition: partition,
        decode,
        timestampOf: (e: ClickstreamProjection) => e.timestamp,
        keyOf: (e: ClickstreamProjection) => e.pageUrl,
        window,
        aggregator: p.countAggregator(),
      }),
    merge: {
      taskFactory: (_topic, _partition, context) =>
        new p.MergeTask({
          upstreamPartitions: context.upstreamPartitionCount ?? 1,
          aggregator: p.countAggregator(),
        }),
    },
  });
  p.installShutdownHandlers(job);
  await job.start();
  console.error(`count job ${app} running`);
}
