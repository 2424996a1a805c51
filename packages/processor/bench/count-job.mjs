#!/usr/bin/env node
/**
 * The benchmark job in its plainest form, built only with the public API of @tributary/processor: an
 * exactly-once 1-minute tumbling count of events per page_url. Stage 1 (group = application id) decodes the
 * fields it reads (schema projection decoder, still validated: a bad event goes to the dead-letter topic),
 * applies the event-time contract (B = 5 s, no dedup) and pre-aggregates per (page, window); stage 2 merges the
 * partials and writes JSON results. Run by throughput-vs-kafkajs.mjs (`--jobs count`); stops on SIGTERM/SIGINT.
 */
import { parseArgs } from 'node:util';
import {
  MergeTask,
  PartialAggregationTask,
  TumblingWindows,
  clickstreamDecoder,
  countAggregator,
  createStreamJob,
  installShutdownHandlers,
} from '@tributary/processor';

const USAGE = `Usage: node bench/count-job.mjs --brokers <list> --application-id <id> --input-topic <topic>
  [--processing-guarantee exactly-once|at-least-once] [--window-size-ms 60000] [--commit-interval-ms 200]
Writes <id>-results, <id>-repartition, <id>-late and <id>-dlq (created when missing).`;
let values;
try {
  ({ values } = parseArgs({
    options: {
      brokers: { type: 'string', default: '127.0.0.1:9092' },
      'application-id': { type: 'string' },
      'input-topic': { type: 'string' },
      'processing-guarantee': { type: 'string', default: 'exactly-once' },
      'window-size-ms': { type: 'string', default: '60000' },
      'commit-interval-ms': { type: 'string', default: '200' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
for (const name of ['application-id', 'input-topic']) {
  if (values[name] === undefined || values[name] === '') {
    console.error(`--${name} is required\n${USAGE}`);
    process.exit(2);
  }
}
const guarantee = values['processing-guarantee'];
if (guarantee !== 'exactly-once' && guarantee !== 'at-least-once') {
  console.error(`--processing-guarantee must be exactly-once or at-least-once (got ${guarantee})`);
  process.exit(2);
}
const windowSizeMs = Number(values['window-size-ms']);
if (!Number.isSafeInteger(windowSizeMs) || windowSizeMs < 1) {
  console.error(`--window-size-ms must be a positive integer (got ${values['window-size-ms']})`);
  process.exit(2);
}

const commitIntervalMs = Number(values['commit-interval-ms']);
if (!Number.isSafeInteger(commitIntervalMs) || commitIntervalMs < 1) {
  console.error(`--commit-interval-ms must be a positive integer (got ${values['commit-interval-ms']})`);
  process.exit(2);
}
const appId = values['application-id'];
const window = new TumblingWindows({ sizeMs: windowSizeMs });
const decode = clickstreamDecoder({ projection: true });
const job = createStreamJob({
  applicationId: appId,
  brokers: values.brokers.split(','),
  input: { topic: values['input-topic'] },
  outputs: {
    results: `${appId}-results`,
    repartition: `${appId}-repartition`,
    late: `${appId}-late`,
    'dead-letter': `${appId}-dlq`,
  },
  processingGuarantee: guarantee,
  commitIntervalMs,
  taskFactory: (_topic, partition) =>
    new PartialAggregationTask({
      inputPartition: partition,
      decode,
      timestampOf: (e) => e.timestamp,
      keyOf: (e) => e.pageUrl,
      window,
      aggregator: countAggregator(),
    }),
  merge: {
    taskFactory: (_topic, _partition, context) =>
      new MergeTask({
        upstreamPartitions: context.upstreamPartitionCount ?? 1,
        aggregator: countAggregator(),
      }),
  },
});
installShutdownHandlers(job);
await job.start();
console.error(`count job ${appId} running`);
