import { installShutdownHandlers } from '../../src/index.js';
import { apiLatencyJob } from './job.js';

// KAFKA_BROKERS=127.0.0.1:9092 (the devstack's broker by default)
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const plan = apiLatencyJob({ applicationId: 'api-latency', brokers });
console.log(plan.explain());
const job = await plan.start();
installShutdownHandlers(job); // SIGTERM/SIGINT: commit or abort in flight, leave the group, exit 0
