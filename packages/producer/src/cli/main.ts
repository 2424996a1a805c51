import { KafkaErrorCodes } from '@tributary/kafka';
import { createLogger } from '@tributary/observability';
import type { HelpLayout, OptionSet, OptionSpecs, OptionValues } from '@tributary/options';
import { invalidOption, ProducerErrorCodes } from '../errors.js';
import { createIngestGateway } from '../gateway/ingest-gateway.js';
import { runLoad } from '../kafka/load-runner.js';
import { RUN_HELP, RUN_OPTIONS, SERVE_HELP, SERVE_OPTIONS, USAGE } from './commands.js';

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Registers a shutdown handler (SIGINT/SIGTERM in the real CLI). */
  onSignal: (handler: () => void) => void;
}

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
  try {
    return command === 'run' ? await runCommand(rest, io) : await serveCommand(rest, io);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const message = e.message ?? String(err);
    const code = e.code === undefined || message.startsWith(e.code) ? '' : `${e.code}: `;
    io.stderr(`tributary-produce ${command}: ${code}${message}`);
    const usage =
      e.code === ProducerErrorCodes.INVALID_OPTION ||
      e.code === ProducerErrorCodes.CONFIG_FILE ||
      e.code === KafkaErrorCodes.INVALID_OPTION; // a TLS/SASL setting, checked at start
    return usage ? 2 : 1;
  }
}

/** A command's options from flags, environment and config file; undefined once its --help is printed. */
function commandOptions<Specs extends OptionSpecs>(
  options: OptionSet<Specs>,
  layout: HelpLayout,
  argv: readonly string[],
  io: CliIo,
): OptionValues<Specs> | undefined {
  const { help, positionals, values } = options.parseCommandLine(argv, { env: io.env });
  if (help) io.stdout(options.help(layout));
  else if (positionals.length > 0)
    throw invalidOption(positionals[0]!, `is not an argument of ${options.settings.component} (see --help)`);
  return help ? undefined : values;
}

async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const values = commandOptions(RUN_OPTIONS, RUN_HELP, argv, io);
  if (values === undefined) return 0;
  const { json, ...options } = values;
  const abort = new AbortController();
  io.onSignal(() => abort.abort());
  const report = await runLoad(options, { onProgress: (line) => io.stderr(line), signal: abort.signal });
  if (json) {
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

async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const values = commandOptions(SERVE_OPTIONS, SERVE_HELP, argv, io);
  if (values === undefined) return 0;
  const { logLevel, ...options } = values;
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
