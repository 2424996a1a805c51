#!/usr/bin/env node
import { parseCliArgs } from './cli/args.js';
import { HELP } from './cli/help.js';
import { createKafkaEsConnector } from './connector/kafka-es-connector.js';
import { isSinkError } from './errors.js';

function fail(code: number, message: string): never {
  process.stderr.write(`tributary-es-sink: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let config;
  try {
    config = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    fail(2, `${(error as Error).message}\nRun tributary-es-sink --help for usage.`);
  }
  if (config.help) {
    process.stdout.write(HELP);
    return;
  }
  const log = (level: string, message: string, fields?: Record<string, unknown>): void => {
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`,
    );
  };
  let connector;
  try {
    connector = createKafkaEsConnector({ ...config.connector, logger: log });
  } catch (error) {
    fail(2, (error as Error).message);
  }
  try {
    await connector.start();
  } catch (error) {
    const configError = isSinkError(error) && !['TRIB_SINK_REQUEST_FAILED'].includes(error.code);
    await connector.stop().catch(() => undefined);
    fail(configError ? 2 : 1, (error as Error).message);
  }
  log('info', 'running', { topic: config.connector.topic, groupId: config.connector.groupId });
  void connector.failure.then(async (error) => {
    await connector.stop().catch(() => undefined);
    fail(1, error.message);
  });
  const timer =
    config.statsIntervalMs > 0
      ? setInterval(() => {
          const s = connector.stats;
          log('info', 'stats', {
            consumed: s.consumed,
            pending: s.pending,
            paused: s.paused,
            deadLettered: s.deadLettered,
            sink: s.sink,
          });
        }, config.statsIntervalMs)
      : undefined;
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    log('info', `${signal}: stopping (flush, commit, disconnect)`);
    connector.stop().then(
      () => {
        log('info', 'stopped', { committed: Object.fromEntries(connector.committedOffsets()) });
        process.exit(0);
      },
      (error: unknown) => fail(1, `shutdown failed: ${(error as Error).message}`),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
