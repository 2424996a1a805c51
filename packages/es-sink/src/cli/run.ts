import { collectDefaultMetrics, Registry } from 'prom-client';
import type { DestinationStream } from 'pino';
import { createKafkaEsConnector, type KafkaEsConnector } from '../connector/kafka-es-connector.js';
import { kafkaSecurity } from '@tributary/kafka';
import { createLogger, startMetricsServer, type MetricsServer } from '@tributary/observability';
import { connectorLoggerFor } from '../connector/connector-logger.js';
import type { KafkaEsConnectorOptions } from '../connector/connector-options.js';
import { SINK_ERROR_CODES, isSinkError } from '../errors.js';
import { redactOptions } from '../options.js';
import { cliHelp, parseCliArgs, type CliConfig } from './args.js';

/** What the CLI needs from its process: injected so tests run it in-process. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  /** Where log lines go (stderr in the real CLI). */
  logDestination: DestinationStream;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Registers the shutdown handler (SIGTERM/SIGINT in the real CLI). */
  onSignal: (handler: (signal: string) => void) => void;
  /** Called once the connector runs (tests read the metrics URL from it). */
  onRunning?: (running: { connector: KafkaEsConnector; metricsUrl: string | undefined }) => void;
}

/** What the CLI logs about its configuration: never credentials (auth, TLS, SASL, URL userinfo). */
export function describeConfig(config: KafkaEsConnectorOptions): Record<string, unknown> {
  const { sink, ssl, sasl, mapper: _mapper, logger: _logger, registry: _registry, ...kafka } = config;
  const { template, ...sinkRest } = sink;
  return {
    ...kafka,
    ssl: ssl === undefined ? undefined : '[redacted]',
    sasl: sasl === undefined ? undefined : { mechanism: (sasl as { mechanism?: string }).mechanism },
    sink: {
      ...redactOptions(sinkRest),
      ...(template === undefined ? {} : { template: template.name }),
    },
  };
}

/**
 * `tributary-es-sink`: parses flags, starts the optional /metrics + /health server, runs the connector until a
 * signal (graceful stop: flush, commit, disconnect) or a fatal failure. Resolves with the exit code:
 * 0 clean shutdown, 2 bad options or configuration, 1 failure while running.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let config: CliConfig;
  try {
    config = parseCliArgs(argv, io.env);
  } catch (error) {
    io.stderr(`tributary-es-sink: ${(error as Error).message}\nRun tributary-es-sink --help for usage.\n`);
    return 2;
  }
  if (config.help) {
    io.stdout(`${cliHelp()}\n`);
    return 0;
  }
  const logger = createLogger({
    name: 'tributary-es-sink',
    level: config.logLevel,
    destination: io.logDestination,
  });
  const registry = config.metricsPort === undefined ? undefined : new Registry();
  if (registry !== undefined) collectDefaultMetrics({ register: registry });
  let connector: KafkaEsConnector;
  let options: KafkaEsConnectorOptions;
  try {
    // The TLS/SASL files are read here: a bad setting names its option.
    options = { ...config.connector, ...(await kafkaSecurity(config)) };
    connector = createKafkaEsConnector({
      ...options,
      logger: connectorLoggerFor(logger),
      ...(registry === undefined ? {} : { registry }),
    });
  } catch (error) {
    io.stderr(`tributary-es-sink: ${(error as Error).message}\n`);
    return 2;
  }
  logger.info(
    { topic: config.connector.topic, groupId: config.connector.groupId, metricsPort: config.metricsPort },
    'starting',
  );
  logger.debug({ options: describeConfig(options) }, 'options');
  let server: MetricsServer | undefined;
  if (registry !== undefined && config.metricsPort !== undefined) {
    try {
      server = await startMetricsServer({
        registry,
        port: config.metricsPort,
        host: config.metricsHost,
        health: () => connector.health(),
      });
    } catch (error) {
      io.stderr(
        `tributary-es-sink: cannot serve metrics on --metrics-port ${config.metricsPort}: ${(error as Error).message}\n`,
      );
      return 2;
    }
    logger.info(
      { url: server.url, endpoints: ['/metrics', '/health', '/health/live', '/health/ready'] },
      'metrics server listening',
    );
  }
  const finish = async (code: number, message?: string): Promise<number> => {
    await server?.close().catch(() => undefined);
    if (message !== undefined) {
      logger.error(message);
      io.stderr(`tributary-es-sink: ${message}\n`);
    }
    return code;
  };
  try {
    await connector.start();
  } catch (error) {
    // Every SinkError at start is a configuration problem the message names (unreachable, auth, topic…).
    const configError = isSinkError(error) && error.code !== SINK_ERROR_CODES.REQUEST_FAILED;
    await connector.stop().catch(() => undefined);
    return finish(configError ? 2 : 1, (error as Error).message);
  }
  logger.info({ topic: config.connector.topic, groupId: config.connector.groupId }, 'running');
  io.onRunning?.({ connector, metricsUrl: server?.url });
  const timer =
    config.statsIntervalMs > 0
      ? setInterval(() => {
          const s = connector.stats;
          logger.info(
            {
              consumed: s.consumed,
              pending: s.pending,
              paused: s.paused,
              deadLettered: s.deadLettered,
              sink: s.sink,
            },
            'stats',
          );
        }, config.statsIntervalMs)
      : undefined;
  const outcome = await new Promise<{ code: number; message?: string }>((resolve) => {
    void connector.failure.then(async (error) => {
      await connector.stop().catch(() => undefined);
      resolve({ code: 1, message: error.message });
    });
    io.onSignal((signal) => {
      logger.info(`${signal}: stopping (flush, commit, disconnect)`);
      connector.stop().then(
        () => {
          logger.info({ committed: Object.fromEntries(connector.committedOffsets()) }, 'stopped');
          resolve({ code: 0 });
        },
        (error: unknown) => resolve({ code: 1, message: `shutdown failed: ${(error as Error).message}` }),
      );
    });
  });
  clearInterval(timer);
  return finish(outcome.code, outcome.message);
}
