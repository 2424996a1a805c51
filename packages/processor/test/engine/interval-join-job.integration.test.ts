import { describe, inject, it } from 'vitest';
import { createStreamJob, type StreamJob } from '../../src/runtime/stream-job.js';
import { JOIN_RIGHT_STAGE } from '../../src/engine/interval-join-job.js';
import { uniqueName } from '../helpers/kafka-harness.js';
import { useKafkaHarness } from '../helpers/kafka-suite.js';
import { conversionStages } from './conversion-job.js';
import { conversionsAcrossRestart } from './conversion-job-restart.js';

const brokers = inject('kafkaBrokers');

describe('an interval join against the real broker', () => {
  const { harness, groups } = useKafkaHarness(brokers, ['join-it-']);

  it('joins clicks and orders exactly once, across a stop and a restart that restores the buffers', async () => {
    const applicationId = uniqueName('join-it-app');
    const clicksTopic = uniqueName('join-it-clicks');
    const ordersTopic = uniqueName('join-it-orders');
    const results = `${applicationId}-conversions`;
    groups.push(applicationId, `${applicationId}-merge`, `${applicationId}-${JOIN_RIGHT_STAGE}`);
    const newJob = (): StreamJob =>
      createStreamJob({
        applicationId,
        brokers,
        commitIntervalMs: 100,
        repartitionPartitions: 2,
        outputs: {
          repartition: `${applicationId}-repartition`,
          results,
          late: `${applicationId}-late`,
          'dead-letter': `${applicationId}-dlq`,
        },
        ...conversionStages({ clicks: clicksTopic, orders: ordersTopic }),
      });

    await conversionsAcrossRestart(harness, { clicks: clicksTopic, orders: ordersTopic, results }, 5, newJob);
  });
});
