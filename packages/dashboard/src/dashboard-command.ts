import { describeNodes, redactUrl } from '@tributary/es-sink';
import { DASHBOARD_COMMAND, parseDashboardCli } from './dashboard-cli.js';
import type { ParsedDashboardCli } from './dashboard-cli.js';
import { startDashboardServer } from './dashboard-server.js';
import { scrapeMetricsSource } from './metrics-source.js';

/** How a bin names the dashboard command in help, errors and its start line. */
export interface DashboardProgram {
  /** The command line, e.g. `tributary-dashboard` or `tributary-processor dashboard`. */
  readonly command: string;
  /** The prefix of the start line, e.g. `tributary-dashboard` or `tributary-processor`. */
  readonly name: string;
}

export const DASHBOARD_PROGRAM: DashboardProgram = { command: DASHBOARD_COMMAND, name: DASHBOARD_COMMAND };

/**
 * `tributary-dashboard …` (and `tributary-processor dashboard …`): serves the dashboard of a job in another process
 * until SIGTERM / SIGINT. Returns the exit code, or -1 while the server runs.
 */
export async function runDashboardCommand(
  argv: readonly string[],
  program: DashboardProgram = DASHBOARD_PROGRAM,
): Promise<number> {
  let parsed;
  try {
    parsed = parseDashboardCli(argv, program.command);
  } catch (error) {
    process.stderr.write(`${program.command}: ${(error as Error).message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(`${parsed.text}\n`);
    return 0;
  }
  const server = await startDashboardServer(parsed.options, {
    metrics: scrapeMetricsSource(parsed.metricsUrl, parsed.options.requestTimeoutMs),
  });
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${startLine(program, server.url, parsed)}\n`);
  return -1;
}

/** The line printed once the dashboard serves: where it is and what it reads, credentials of every URL redacted. */
export function startLine(
  program: DashboardProgram,
  url: string,
  parsed: Pick<Extract<ParsedDashboardCli, { kind: 'run' }>, 'metricsUrl' | 'options'>,
): string {
  return (
    `${program.name}: dashboard at ${url} — metrics from ${redactUrl(parsed.metricsUrl)}, ` +
    `window results from ${parsed.options.index} at ${describeNodes(parsed.options)}`
  );
}
