import { installShutdownHandlers } from '../../src/index.js';
import { sessionAlertsJob } from './job.js';

// KAFKA_BROKERS=127.0.0.1:9092 (the devstack's broker by default), CLICK_THRESHOLD=20
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const threshold = Number(process.env['CLICK_THRESHOLD'] ?? '20');
const plan = sessionAlertsJob({ applicationId: 'click-alerts', brokers }, { threshold });
console.log(plan.explain());
const job = await plan.start();
installShutdownHandlers(job); // SIGTERM/SIGINT: commit or abort in flight, leave the group, exit 0
