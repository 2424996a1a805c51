#!/usr/bin/env node
import { pino } from 'pino';
import { runCli } from './cli/run.js';

let stopping = false;
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  logDestination: pino.destination({ dest: 2, sync: true }),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  onSignal: (handler) => {
    const once = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      handler(signal);
    };
    process.on('SIGTERM', () => once('SIGTERM'));
    process.on('SIGINT', () => once('SIGINT'));
  },
});
// kafkajs may leave sockets behind after a failed start: exit explicitly.
process.exit(code);
