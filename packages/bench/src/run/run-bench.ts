import type { CliIo, ExitCode } from '../cli/main.js';
import type { ResolvedRunOptions } from '../cli/run-options.js';
import { BENCH_ERROR_CODES, BenchError } from '../errors.js';
import { probePipeline, type ModuleImporter } from './pipeline-probe.js';

/**
 * `bench run`. Checks that the pipeline packages expose what the run needs and fails with
 * `TRIB_BENCH_NOT_WIRED`, naming each missing piece, rather than print figures it did not measure. The
 * orchestration (devstack → producer → processor → es-sink, sampled and recorded with this package's
 * histograms, pacing and resource sampler) is the next step once the processor exports its clickstream job.
 */
export async function runBench(
  options: ResolvedRunOptions,
  io: CliIo,
  importer?: ModuleImporter,
): Promise<ExitCode> {
  const missing = await probePipeline(importer);
  const scenarios = options.scenarios.join(',');
  if (missing.length > 0) {
    const lines = missing.map((m) => `  - ${m.packageName} ${m.reason} (needed for: ${m.purpose})`);
    throw new BenchError(
      BENCH_ERROR_CODES.NOT_WIRED,
      `bench run (${scenarios}) is not yet wired: the pipeline packages lack what it needs:\n${lines.join('\n')}\n` +
        'Nothing was measured. bench compare and bench report work on existing results files.',
      { details: { missing: missing.map((m) => `${m.packageName}#${m.exportNames[0]!}`) } },
    );
  }
  void io;
  throw new BenchError(
    BENCH_ERROR_CODES.NOT_WIRED,
    `bench run (${scenarios}) is not yet wired: the pipeline packages export what it needs, but this version of ` +
      '@tributary/bench does not orchestrate them yet. Nothing was measured.',
  );
}
