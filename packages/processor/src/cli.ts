#!/usr/bin/env node
import { runDashboardCommand } from '@tributary/dashboard';
import { kafkaSecurity, type KafkaSecurity } from '@tributary/kafka';
import { createLogger } from '@tributary/observability';
import { createClickstreamApp, type ClickstreamApp } from './app/clickstream.js';
import { parseCli, printedConfig, runningLine } from './config/cli-options.js';
import { installShutdownHandlers } from './runtime/shutdown.js';
import { startWithRetry } from './runtime/start-retry.js';

/** How long a start keeps trying while Kafka or Elasticsearch cannot be reached (as the stages' restartTimeoutMs). */
const START_TIMEOUT_MS = 300_000;

/** `tributary-processor clickstream [options]`: see `--help`. */
async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'dashboard')
    return runDashboardCommand(argv.slice(1), {
      command: 'tributary-processor dashboard',
      name: 'tributary-processor',
    });
  let parsed;
  let kafka: KafkaSecurity | undefined;
  try {
    parsed = parseCli(argv, { env: process.env });
    // The TLS/SASL files are read (and a token provider loaded) once, at start: a bad setting names its option.
    if (parsed.kind === 'run') kafka = await kafkaSecurity(parsed.config);
  } catch (error) {
    process.stderr.write(`tributary-processor: ${(error as Error).message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(
      `${parsed.text}\n\n` +
        'Usage: tributary-processor dashboard --metrics-url <url> [options]   (see dashboard --help)\n',
    );
    return 0;
  }
  if (parsed.printConfig) {
    process.stdout.write(`${printedConfig(parsed.config)}\n`);
    return 0;
  }
  const logger = createLogger({ name: 'tributary-processor', level: pinoLevel(parsed.config.logLevel) });
  let app: ClickstreamApp | undefined;
  installShutdownHandlers(
    { stop: () => app?.stop() ?? Promise.resolve() },
    {
      onError: (error) =>
        process.stderr.write(`tributary-processor: error while stopping: ${(error as Error).message}\n`),
    },
  );
  // Kafka or Elasticsearch not reachable yet (restarting, still starting): keep trying, as Kafka Streams does.
  app = await startWithRetry(
    () =>
      (app = createClickstreamApp(parsed.config, {
        logger,
        kafkaSecurity: kafka,
        onError: (error) => {
          process.stderr.write(`tributary-processor: job failed: ${error.message}\n`);
          process.exit(1);
        },
      })),
    {
      timeoutMs: START_TIMEOUT_MS,
      onRetry: (error, attempt, delayMs) =>
        logger.warn(
          {
            err: { message: (error as Error).message, code: (error as { code?: unknown }).code },
            attempt,
            delayMs,
          },
          'start failed, trying again',
        ),
    },
  );
  process.stdout.write(`${runningLine(parsed.config)}\n`);
  if (app.dashboard !== undefined)
    process.stdout.write(`tributary-processor: dashboard at ${app.dashboard.url}\n`);
  if (app.metricsUrl !== undefined)
    process.stdout.write(
      `tributary-processor: metrics at ${app.metricsUrl}/metrics, health at ${app.metricsUrl}/health\n`,
    );
  return -1;
}

/** kafkajs-style `--log-level` → pino level (`nothing` → `silent`). */
function pinoLevel(level: string): 'silent' | 'error' | 'warn' | 'info' | 'debug' {
  return level === 'nothing' ? 'silent' : (level as 'error' | 'warn' | 'info' | 'debug');
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const e = error as { code?: string; message?: string };
    process.stderr.write(
      `tributary-processor: ${e.code === undefined ? '' : `${e.code}: `}${e.message ?? String(error)}\n`,
    );
    process.exit(1);
  },
);
