import { installShutdownHandlers } from '../../src/index.js';
import { clickToPurchaseJob } from './job.js';

// KAFKA_BROKERS=127.0.0.1:9092 (the devstack's broker by default)
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const plan = clickToPurchaseJob({ applicationId: 'click-to-purchase', brokers });
console.log(plan.explain());
const job = await plan.start();
installShutdownHandlers(job); // SIGTERM/SIGINT: commit or abort in flight, leave the group, exit 0
