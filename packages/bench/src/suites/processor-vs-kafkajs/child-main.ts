#!/usr/bin/env node
/**
 * The children of the processor-vs-kafkajs suite, each in its own process so its CPU and RSS are its own:
 * `node child-main.js raw-consumer '<json>'` prints one JSON line when it has read the topic and waits for SIGTERM;
 * `node child-main.js count-job '<json>'` runs the count job until SIGTERM.
 */
import { runCountJob } from './count-job.js';
import { rawConsume } from './raw-consumer.js';

const [role, config] = process.argv.slice(2);
if (role === 'raw-consumer') {
  process.stdout.write(`${JSON.stringify(await rawConsume(JSON.parse(config!)))}\n`);
  setInterval(() => undefined, 60_000); // until the parent has taken its last /proc sample
} else if (role === 'count-job') {
  await runCountJob(JSON.parse(config!));
} else {
  process.stderr.write(`unknown role ${role} (raw-consumer, count-job)\n`);
  process.exitCode = 2;
}
