import { InvalidResultsError } from '../errors.js';
import {
  COMPONENT_VALUES,
  CORRECTNESS_KEYS,
  LATENCY_KEYS,
  RESULTS_SCHEMA_VERSION,
  SCENARIO_VALUES,
  type BenchResults,
} from './results.js';

type Json = unknown;

function object(value: Json, path: string): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidResultsError(path, 'must be an object');
  }
  return value as Record<string, Json>;
}

function array(value: Json, path: string): Json[] {
  if (!Array.isArray(value)) throw new InvalidResultsError(path, 'must be an array');
  return value;
}

function string(value: Json, path: string): string {
  if (typeof value !== 'string') throw new InvalidResultsError(path, 'must be a string');
  return value;
}

function nullableString(value: Json, path: string): void {
  if (value !== null) string(value, path);
}

function number(value: Json, path: string, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new InvalidResultsError(
      path,
      min === -Infinity ? 'must be a finite number' : `must be a number >= ${min}`,
    );
  }
  return value;
}

function nullableNumber(value: Json, path: string, min = 0): void {
  if (value !== null) number(value, path, min);
}

function oneOf(value: Json, allowed: readonly string[], path: string): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new InvalidResultsError(path, `must be one of ${allowed.join(', ')}`);
  }
}

function spread(value: Json, path: string): void {
  if (value === null) return;
  const s = object(value, path);
  for (const k of ['min', 'median', 'max'] as const) number(s[k], `${path}.${k}`);
  if (!((s.min as number) <= (s.median as number) && (s.median as number) <= (s.max as number))) {
    throw new InvalidResultsError(path, 'must satisfy min <= median <= max');
  }
}

function correctness(value: Json, path: string): void {
  const c = object(value, path);
  for (const k of CORRECTNESS_KEYS) number(c[k], `${path}.${k}`, 0);
}

function row(value: Json, path: string, aggregated: boolean): void {
  const r = object(value, path);
  oneOf(r.component, COMPONENT_VALUES, `${path}.component`);
  nullableString(r.version, `${path}.version`);
  nullableString(r.latencyDefinition, `${path}.latencyDefinition`);
  const scalar = aggregated ? spread : (v: Json, p: string) => nullableNumber(v, p);
  for (const k of ['startupMs', 'throughputPerSec', 'cpuPercent', 'rssMB', 'eventLoopDelayP99Ms'] as const) {
    scalar(r[k], `${path}.${k}`);
  }
  for (const k of ['eventLoopDelayP50Ms', 'eventLoopDelayMaxMs', 'throughputPerCore'] as const) {
    if (r[k] !== undefined) scalar(r[k], `${path}.${k}`);
  }
  if (r.correctness !== undefined) correctness(r.correctness, `${path}.correctness`);
  if (r.latencyMs !== null) {
    const l = object(r.latencyMs, `${path}.latencyMs`);
    for (const k of LATENCY_KEYS) scalar(l[k] ?? undefined, `${path}.latencyMs.${k}`);
  }
}

function figureBase(value: Json, path: string): Record<string, Json> {
  const f = object(value, path);
  string(f.name, `${path}.name`);
  string(f.unit, `${path}.unit`);
  if (f.note !== undefined) string(f.note, `${path}.note`);
  return f;
}

/**
 * Checks that `value` (parsed JSON) is a results document of the supported schema version and returns it typed.
 * The error names the first offending field path.
 */
export function validateResults(value: Json): BenchResults {
  const doc = object(value, '(root)');
  if (doc.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new InvalidResultsError('schemaVersion', `must be ${RESULTS_SCHEMA_VERSION}`);
  }
  const tool = object(doc.tool, 'tool');
  string(tool.name, 'tool.name');
  string(tool.version, 'tool.version');
  string(doc.createdAt, 'createdAt');

  const env = object(doc.environment, 'environment');
  string(env.node, 'environment.node');
  nullableString(env.java, 'environment.java');
  const os = object(env.os, 'environment.os');
  for (const k of ['platform', 'release', 'arch'] as const) string(os[k], `environment.os.${k}`);
  const cpu = object(env.cpu, 'environment.cpu');
  string(cpu.model, 'environment.cpu.model');
  number(cpu.cores, 'environment.cpu.cores', 1);
  number(env.memoryMB, 'environment.memoryMB', 0);
  for (const [k, v] of Object.entries(object(env.versions, 'environment.versions'))) {
    string(v, `environment.versions.${k}`);
  }

  const w = object(doc.workload, 'workload');
  oneOf(w.scenario, SCENARIO_VALUES, 'workload.scenario');
  if (w.ratePerSec !== null) number(w.ratePerSec, 'workload.ratePerSec', 0);
  number(w.durationMs, 'workload.durationMs', 0);
  number(w.warmupMs, 'workload.warmupMs', 0);
  number(w.partitions, 'workload.partitions', 1);
  number(w.runs, 'workload.runs', 1);
  for (const [k, v] of Object.entries(object(w.params, 'workload.params'))) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) {
      throw new InvalidResultsError(`workload.params.${k}`, 'must be a string, number or boolean');
    }
  }
  array(doc.method, 'method').forEach((m, i) => string(m, `method[${i}]`));

  array(doc.runs, 'runs').forEach((runValue, i) => {
    const path = `runs[${i}]`;
    const run = object(runValue, path);
    number(run.run, `${path}.run`, 1);
    string(run.startedAt, `${path}.startedAt`);
    array(run.components, `${path}.components`).forEach((r, j) => row(r, `${path}.components[${j}]`, false));
    correctness(run.correctness, `${path}.correctness`);
    array(run.series, `${path}.series`).forEach((sValue, j) => {
      const sp = `${path}.series[${j}]`;
      const s = object(sValue, sp);
      string(s.name, `${sp}.name`);
      string(s.unit, `${sp}.unit`);
      array(s.points, `${sp}.points`).forEach((p, k) => {
        const pair = array(p, `${sp}.points[${k}]`);
        if (pair.length !== 2)
          throw new InvalidResultsError(`${sp}.points[${k}]`, 'must be a [tMs, value] pair');
        number(pair[0], `${sp}.points[${k}][0]`);
        number(pair[1], `${sp}.points[${k}][1]`);
      });
    });
    for (const [k, v] of Object.entries(object(run.histograms, `${path}.histograms`))) {
      string(v, `${path}.histograms.${k}`);
    }
    if (run.figures !== undefined) {
      array(run.figures, `${path}.figures`).forEach((fValue, j) => {
        const f = figureBase(fValue, `${path}.figures[${j}]`);
        if (f.value !== null) number(f.value, `${path}.figures[${j}].value`);
      });
    }
  });

  const agg = object(doc.aggregate, 'aggregate');
  number(agg.runs, 'aggregate.runs', 1);
  array(agg.components, 'aggregate.components').forEach((r, j) => row(r, `aggregate.components[${j}]`, true));
  correctness(agg.correctness, 'aggregate.correctness');
  if (agg.figures !== undefined) {
    array(agg.figures, 'aggregate.figures').forEach((fValue, j) => {
      const f = figureBase(fValue, `aggregate.figures[${j}]`);
      spread(f.spread, `aggregate.figures[${j}].spread`);
    });
  }
  return value as BenchResults;
}
