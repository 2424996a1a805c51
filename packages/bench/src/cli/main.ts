import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { compareResults, comparisonExitCode } from '../compare/compare.js';
import { renderComparison } from '../compare/render-comparison.js';
import { isBenchError } from '../errors.js';
import { renderHtmlReport } from '../report/html-report.js';
import type { BenchResults, Scenario } from '../report/results.js';
import { SCENARIO_VALUES } from '../report/results.js';
import { renderTable } from '../report/table.js';
import { validateResults } from '../report/validate-results.js';
import { VERSION } from '../version.js';
import { parseDuration, parseInteger, parseList, parsePercent, parseRate } from './flag-parsers.js';
import { HELP } from './help.js';
import { resolveRunOptions, type ResolvedRunOptions, type RunOptions } from './run-options.js';

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

function parseRunFlags(args: string[]): RunOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rate: { type: 'string' },
      partitions: { type: 'string' },
      runs: { type: 'string' },
      scenarios: { type: 'string' },
      'load-duration': { type: 'string' },
      'peer-records': { type: 'string' },
      'max-budget': { type: 'string' },
      'start-rate': { type: 'string' },
      'step-factor': { type: 'string' },
      'step-duration': { type: 'string' },
      out: { type: 'string' },
      'no-html': { type: 'boolean' },
      'no-raw-events': { type: 'boolean' },
    },
  });
  if (positionals.length > 0)
    throw new UsageError(`bench run takes no arguments (got ${positionals.join(' ')})`);
  const options: { -readonly [K in keyof RunOptions]: RunOptions[K] } = {};
  if (values.duration !== undefined) options.durationMs = parseDuration(values.duration, '--duration');
  if (values.warmup !== undefined) options.warmupMs = parseDuration(values.warmup, '--warmup');
  if (values.rate !== undefined) options.ratePerSec = parseRate(values.rate, '--rate');
  if (values.partitions !== undefined) options.partitions = parseInteger(values.partitions, '--partitions');
  if (values.runs !== undefined) options.runs = parseInteger(values.runs, '--runs');
  if (values.scenarios !== undefined) {
    options.scenarios = parseList<Scenario>(values.scenarios, '--scenarios', SCENARIO_VALUES);
  }
  if (values['load-duration'] !== undefined) {
    options.loadDurationMs = parseDuration(values['load-duration'], '--load-duration');
  }
  if (values['peer-records'] !== undefined) {
    options.peerRecords = parseRate(values['peer-records'], '--peer-records');
  }
  if (values['max-budget'] !== undefined)
    options.maxBudgetMs = parseDuration(values['max-budget'], '--max-budget');
  if (values['start-rate'] !== undefined) options.startRate = parseRate(values['start-rate'], '--start-rate');
  if (values['step-factor'] !== undefined) {
    const factor = Number(values['step-factor']);
    if (values['step-factor'].trim() === '' || !Number.isFinite(factor)) {
      throw new UsageError(`--step-factor must be a number like 1.5 (got "${values['step-factor']}")`);
    }
    options.stepFactor = factor;
  }
  if (values['step-duration'] !== undefined) {
    options.stepMs = parseDuration(values['step-duration'], '--step-duration');
  }
  if (values.out !== undefined) options.outDir = values.out;
  if (values['no-html'] === true) options.html = false;
  if (values['no-raw-events'] === true) options.rawEvents = false;
  return options;
}

async function compareCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { threshold: { type: 'string' } },
  });
  if (positionals.length !== 2) {
    throw new UsageError(
      `bench compare needs exactly two files: <base.json> <new.json> (got ${positionals.length})`,
    );
  }
  const thresholdPercent =
    values.threshold === undefined ? undefined : parsePercent(values.threshold, '--threshold');
  const [base, candidate] = await Promise.all(positionals.map((p) => readResults(io, p)));
  const comparison = compareResults(
    base!,
    candidate!,
    thresholdPercent === undefined ? {} : { thresholdPercent },
  );
  io.stdout(`${renderComparison(comparison)}\n`);
  return comparisonExitCode(comparison);
}

async function reportCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { html: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('bench report needs exactly one results file');
  const results = await readResults(io, positionals[0]!);
  io.stdout(`${renderTable(results)}\n`);
  if (values.html !== undefined) {
    await io.writeFile(values.html, renderHtmlReport(results));
    io.stdout(`HTML report: ${values.html}\n`);
  }
  return EXIT_CODES.OK;
}

/** Runs the CLI with `argv` (without node and script); resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const args = [...argv];
  try {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(HELP);
      return EXIT_CODES.OK;
    }
    if (args[0] === '--version') {
      io.stdout(`${VERSION}\n`);
      return EXIT_CODES.OK;
    }
    const command = args[0] !== undefined && !args[0].startsWith('-') ? args.shift()! : 'run';
    switch (command) {
      case 'run':
        return await io.run(resolveRunOptions(parseRunFlags(args), 'flag'), io);
      case 'compare':
        return await compareCommand(args, io);
      case 'report':
        return await reportCommand(args, io);
      default:
        throw new UsageError(`unknown command "${command}" (commands: run, compare, report)`);
    }
  } catch (error) {
    const usage =
      error instanceof UsageError ||
      isBenchError(error, 'TRIB_BENCH_INVALID_OPTION') ||
      String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS_');
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
    mkdir: async (path) => {
      await mkdir(path, { recursive: true });
    },
    run,
  };
}
