import { describe, expect, it } from 'vitest';
import { PIPELINE_REQUIREMENTS, probePipeline } from '../../src/run/pipeline-probe.js';
import { runBench } from '../../src/run/run-bench.js';
import { IMPLEMENTED_SCENARIOS } from '../../src/run/run-bench.js';
import { SCENARIO_VALUES } from '../../src/report/results.js';
import { RUN_OPTIONS } from '../../src/cli/run-options.js';
import type { CliIo } from '../../src/cli/main.js';

const complete: Record<string, Record<string, unknown>> = {
  '@tributary/devstack': { startDevstack: () => {} },
  '@tributary/producer': { ClickstreamLoadGenerator: class {} },
  '@tributary/processor': { createClickstreamApp: () => {} },
  '@tributary/es-sink': { createKafkaEsConnector: () => {} },
};

function importer(modules: Record<string, Record<string, unknown>>) {
  return async (name: string): Promise<Record<string, unknown>> => {
    const m = modules[name];
    if (m === undefined) throw new Error(`Cannot find package '${name}'`);
    return m;
  };
}

describe('probePipeline', () => {
  it('finds nothing missing when every package exports one of the accepted names', async () => {
    expect(await probePipeline(importer(complete))).toEqual([]);
  });

  it('names each missing export and each package that cannot be imported', async () => {
    const missing = await probePipeline(
      importer({
        ...complete,
        '@tributary/processor': { createStreamJob: () => {} },
        '@tributary/es-sink': undefined!,
      }),
    );
    expect(missing.map((m) => [m.packageName, m.reason])).toEqual([
      ['@tributary/processor', 'does not export createClickstreamApp'],
      [
        '@tributary/es-sink',
        "cannot be imported (Cannot find package '@tributary/es-sink'); build it with npx nx run-many -t build",
      ],
    ]);
  });

  it('covers the four pipeline packages', () => {
    expect(PIPELINE_REQUIREMENTS.map((r) => r.packageName)).toEqual([
      '@tributary/devstack',
      '@tributary/producer',
      '@tributary/processor',
      '@tributary/es-sink',
    ]);
  });
});

describe('runBench', () => {
  const io = {} as CliIo;

  it('fails with TRIB_BENCH_NOT_WIRED listing what is missing, measuring nothing', async () => {
    const partial = importer({ ...complete, '@tributary/processor': {} });
    await expect(runBench(RUN_OPTIONS.resolve(), io, partial)).rejects.toMatchObject({
      code: 'TRIB_BENCH_NOT_WIRED',
      message: expect.stringContaining('@tributary/processor does not export createClickstreamApp'),
    });
  });

  it('implements every scenario', () => {
    expect([...IMPLEMENTED_SCENARIOS]).toEqual([...SCENARIO_VALUES]);
  });
});
