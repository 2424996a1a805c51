import { parseArgs } from 'node:util';
import { createLogger, LOG_LEVELS } from '@tributary/observability';
import type { LogLevel } from '@tributary/observability';
import { createIngestGateway } from '../gateway/ingest-gateway.js';
import { resolveGatewayOptions } from '../gateway/gateway-options.js';
import type { IngestGatewayOptions } from '../gateway/gateway-options.js';
import { runLoad } from '../kafka/load-runner.js';
import { resolveLoadOptions } from '../load-options.js';
import type { LoadOptions } from '../load-options.js';
import { RUN_FLAGS, SERVE_FLAGS } from './commands.js';
import { collectOptions, formatFlagHelp, helpRow, parseArgsConfig } from './flags.js';
import type { FlagSpec } from './flags.js';
import { oneOf } from '../validation.js';

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Registers a shutdown handler (SIGINT/SIGTERM in the real CLI). */
  onSignal: (handler: () => void) => void;
}

const USAGE = `Usage: tributary-produce <command> [options]

Commands:
  run     open-loop load generator: paced clickstream records to Kafka, ground-truth manifest, latency report
  serve   HTTP ingest gateway: POST /v1/events → Kafka (answers after Kafka acknowledged)

Common options:
  --config <file>                   JSON file with an options object (camelCase keys, e.g. {"rate": 5000})
  --help                            show help (tributary-produce <command> --help for its options)

Precedence: defaults < --config file < TRIBUTARY_* environment variables < flags.
`;

function commandHelp(name: string, specs: readonly FlagSpec[], extra: string): string {
  const common = [helpRow('--config <file>', 'JSON file with an options object (camelCase keys)')];
  if (name === 'run') common.push(helpRow('--json', 'print the report as JSON'));
  if (name === 'serve')
    common.push(
      helpRow(
        '--log-level <level>',
        `${LOG_LEVELS.join(' | ')}: JSON log lines (pino) on stderr (default info) [TRIBUTARY_LOG_LEVEL]`,
      ),
    );
  return [
    `Usage: tributary-produce ${name} [options]`,
    '',
    extra,
    '',
    'Options:',
    ...common,
    formatFlagHelp(specs),
    helpRow('--help', 'show this help'),
    '',
  ].join('\n');
}

const RUN_HELP = commandHelp(
  'run',
  RUN_FLAGS,
  'Example: tributary-produce run --brokers 127.0.0.1:9092 --topic clickstream-events --rate 10000 --duration 30s \\\n' +
    '           --seed 42 --late-rate 0.01 --duplicate-rate 0.01 --manifest out/manifest.json --hgrm out/produce.hgrm',
);
const SERVE_HELP = commandHelp(
  'serve',
  SERVE_FLAGS,
  'Example: tributary-produce serve --port 8080 --brokers 127.0.0.1:9092 --log-level info\n\n' +
    'Endpoints: POST /v1/events; GET /metrics (Prometheus: gateway and process metrics);\n' +
    '           GET /health/live (200 unless shutting down), GET /health/ready (200 once connected to Kafka),\n' +
    '           GET /health (JSON {live, ready, kafkaConnected, inFlightEvents}; 200 when ready)',
);

/** The CLI; returns the exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'run' && command !== 'serve') {
    io.stderr(`tributary-produce: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    return 2;
  }
  const specs = command === 'run' ? RUN_FLAGS : SERVE_FLAGS;
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...rest],
      options: {
        ...parseArgsConfig(specs),
        config: { type: 'string' },
        json: { type: 'boolean' },
        ...(command === 'serve' ? { 'log-level': { type: 'string' as const } } : {}),
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    io.stderr(
      `tributary-produce ${command}: ${(err as Error).message}\nSee tributary-produce ${command} --help`,
    );
    return 2;
  }
  if (values['help'] === true) {
    io.stdout(command === 'run' ? RUN_HELP : SERVE_HELP);
    return 0;
  }
  const configPath = typeof values['config'] === 'string' ? values['config'] : undefined;
  try {
    const raw = collectOptions(specs, values, io.env, configPath);
    if (command === 'run')
      return await runCommand(resolveLoadOptions(raw as Partial<LoadOptions>), values['json'] === true, io);
    const logLevel = oneOf(
      '--log-level',
      values['log-level'] ?? io.env['TRIBUTARY_LOG_LEVEL'] ?? 'info',
      LOG_LEVELS,
    );
    return await serveCommand(resolveGatewayOptions(raw as Partial<IngestGatewayOptions>), logLevel, io);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    io.stderr(
      `tributary-produce ${command}: ${e.code !== undefined ? `${e.code}: ` : ''}${e.message ?? String(err)}`,
    );
    return e.code === 'TRIB_PRODUCER_INVALID_OPTION' || e.code === 'TRIB_PRODUCER_CONFIG_FILE' ? 2 : 1;
  }
}

async function runCommand(options: LoadOptions, asJson: boolean, io: CliIo): Promise<number> {
  const abort = new AbortController();
  io.onSignal(() => abort.abort());
  const report = await runLoad(options, { onProgress: (line) => io.stderr(line), signal: abort.signal });
  if (asJson) {
    const { hgrm: _hgrm, manifest, ...rest } = report;
    io.stdout(
      JSON.stringify({ ...rest, manifest: { ...manifest, windows: manifest.windows.length } }, null, 2),
    );
  } else {
    io.stdout(report.summary);
    const lag = report.scheduleLag;
    io.stdout(
      `schedule lag: p50 ${lag.p50Ms.toFixed(2)} ms, p99 ${lag.p99Ms.toFixed(2)} ms, max ${lag.maxMs.toFixed(2)} ms`,
    );
    const t = report.manifest.totals;
    io.stdout(
      `ground truth: sent ${t.sent}, accepted ${t.accepted}, late ${t.late}, duplicates ${t.duplicates}, ` +
        `dead-lettered ${t.deadLettered}, windows ${report.manifest.windows.length}`,
    );
    if (options.manifestPath !== undefined) io.stdout(`manifest: ${options.manifestPath}`);
    if (options.hgrmPath !== undefined) io.stdout(`hgrm: ${options.hgrmPath}`);
  }
  if (report.failed > 0) {
    io.stderr(`${report.failed} records failed: ${report.errors.join('; ')}`);
    return 1;
  }
  return 0;
}

async function serveCommand(options: IngestGatewayOptions, logLevel: LogLevel, io: CliIo): Promise<number> {
  const logger = createLogger({
    level: logLevel,
    name: 'tributary-produce-serve',
    destination: { write: (line: string) => io.stderr(line.replace(/\n$/, '')) },
  });
  const gateway = createIngestGateway({ ...options, logger });
  await gateway.listen();
  await new Promise<void>((resolve) => {
    io.onSignal(() => void gateway.close().then(resolve));
  });
  return 0;
}
