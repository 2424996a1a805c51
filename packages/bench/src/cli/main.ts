import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { KafkaErrorCodes } from '@tributary/kafka';
import { defineOptions, option, z } from '@tributary/options';
import { BENCH_OPTION_SETTINGS } from '../bench-options.js';
import { COMPARE_OPTIONS, compareResults, comparisonExitCode } from '../compare/compare.js';
import { renderComparison } from '../compare/render-comparison.js';
import { isBenchError } from '../errors.js';
import { renderHtmlReport } from '../report/html-report.js';
import type { BenchResults } from '../report/results.js';
import { renderTable } from '../report/table.js';
import { validateResults } from '../report/validate-results.js';
import { VERSION } from '../version.js';
import { COMPARE_HELP, REPORT_HELP, RUN_HELP } from './help.js';
import { RUN_OPTIONS, type ResolvedRunOptions } from './run-options.js';
import { suiteCommand } from '../suites/suite-command.js';

/** Exit codes of the `bench` CLI. */
export const EXIT_CODES = { OK: 0, FAILED: 1, USAGE: 2 } as const;
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Everything the CLI touches outside itself; replaced in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Promise<string>;
  readonly writeFile: (path: string, data: string) => Promise<void>;
  readonly mkdir: (path: string) => Promise<void>;
  /** Where the `TRIBUTARY_BENCH_*` variables come from. */
  readonly env: NodeJS.ProcessEnv;
  /** Executes `bench run` with validated options; resolves to the exit code. */
  readonly run: (options: ResolvedRunOptions, io: CliIo) => Promise<ExitCode>;
}

/** A usage error: printed with a hint to `--help`, exit code 2. */
class UsageError extends Error {}

async function readResults(io: CliIo, path: string): Promise<BenchResults> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return validateResults(json);
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
}

/** `bench report`'s own option. */
const REPORT_OPTIONS = defineOptions(
  {
    html: option(z.string().min(1).optional(), 'also write its HTML report to this file', {
      placeholder: '<file>',
      env: false,
    }),
  },
  { ...BENCH_OPTION_SETTINGS, component: 'bench report' },
);

async function runCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { help, positionals, values } = RUN_OPTIONS.parseCommandLine(args, { env: io.env });
  if (help) return printHelp(io, RUN_OPTIONS.help(RUN_HELP));
  if (positionals.length > 0)
    throw new UsageError(`bench run takes no arguments (got ${positionals.join(' ')})`);
  return io.run(values, io);
}

async function compareCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { help, positionals, values } = COMPARE_OPTIONS.parseCommandLine(args, { env: io.env });
  if (help) return printHelp(io, COMPARE_OPTIONS.help(COMPARE_HELP));
  if (positionals.length !== 2) {
    throw new UsageError(
      `bench compare needs exactly two files: <base.json> <new.json> (got ${positionals.length})`,
    );
  }
  const [base, candidate] = await Promise.all(positionals.map((p) => readResults(io, p)));
  const comparison = compareResults(base!, candidate!, values);
  io.stdout(`${renderComparison(comparison)}\n`);
  return comparisonExitCode(comparison);
}

async function reportCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { help, positionals, values } = REPORT_OPTIONS.parseCommandLine(args, { env: io.env });
  if (help) return printHelp(io, REPORT_OPTIONS.help(REPORT_HELP));
  if (positionals.length !== 1) throw new UsageError('bench report needs exactly one results file');
  const results = await readResults(io, positionals[0]!);
  io.stdout(`${renderTable(results)}\n`);
  if (values.html !== undefined) {
    await io.writeFile(values.html, renderHtmlReport(results));
    io.stdout(`HTML report: ${values.html}\n`);
  }
  return EXIT_CODES.OK;
}

function printHelp(io: CliIo, text: string): ExitCode {
  io.stdout(`${text}\n`);
  return EXIT_CODES.OK;
}

/** Runs the CLI with `argv` (without node and script); resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const args = [...argv];
  try {
    if (args[0] === '--version') {
      io.stdout(`${VERSION}\n`);
      return EXIT_CODES.OK;
    }
    const command = args[0] !== undefined && !args[0].startsWith('-') ? args.shift()! : 'run';
    switch (command) {
      case 'run':
        return await runCommand(args, io);
      case 'compare':
        return await compareCommand(args, io);
      case 'report':
        return await reportCommand(args, io);
      case 'suite':
        return (await suiteCommand(args, io, io.env)) as ExitCode;
      default:
        throw new UsageError(`unknown command "${command}" (commands: run, compare, report, suite)`);
    }
  } catch (error) {
    const usage =
      error instanceof UsageError ||
      isBenchError(error, 'TRIB_BENCH_INVALID_OPTION') ||
      (error as { code?: unknown }).code === KafkaErrorCodes.INVALID_OPTION; // a --kafka-* setting, read at start
    if (usage) {
      io.stderr(`bench: ${(error as Error).message}\nRun "bench --help" for usage.\n`);
      return EXIT_CODES.USAGE;
    }
    io.stderr(
      `bench: ${isBenchError(error) ? `${error.code}: ` : ''}${(error as Error).message ?? String(error)}\n`,
    );
    return EXIT_CODES.FAILED;
  }
}

/** The real file system and console. */
export function nodeIo(run: CliIo['run']): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: (path, data) => writeFile(path, data),
    env: process.env,
    mkdir: async (path) => {
      await mkdir(path, { recursive: true });
    },
    run,
  };
}
