import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtool, writeRulesCopy } from '../../../../test/helpers/promtool.js';
import { SINK_METRIC_NAMES } from '../../src/metrics/metric-names.js';

const DIR = fileURLToPath(new URL('../../prometheus/', import.meta.url));
const ALERTS = [
  'TributaryEsSinkRejections',
  'TributaryEsSinkDeadLetters',
  'TributaryEsSinkFailing',
  'TributaryEsSinkPartitionsPaused',
  'TributaryEsSinkRecordsStuck',
];

describe('es-sink prometheus/alerts.yml', () => {
  let rules: string;
  let tests: string;
  let scratch: string;
  beforeAll(async () => {
    rules = await readFile(join(DIR, 'alerts.yml'), 'utf8');
    tests = await readFile(join(DIR, 'alerts.test.yml'), 'utf8');
    scratch = await mkdtemp(join(tmpdir(), 'tributary-es-sink-alerts-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('passes promtool check rules', async () => {
    const run = await promtool(['check', 'rules', 'alerts.yml'], DIR);
    expect(run.output).toContain(`SUCCESS: ${ALERTS.length} rules found`);
    expect(run.code).toBe(0);
  });

  it('passes its promtool unit tests, which cover every alert firing and staying quiet', async () => {
    for (const alert of ALERTS) expect(tests).toContain(`alertname: ${alert}`);
    expect(tests).toContain('exp_alerts: []');
    const run = await promtool(['test', 'rules', 'alerts.test.yml'], DIR);
    expect(run.output).toContain('SUCCESS');
    expect(run.code).toBe(0);
  });

  it('uses only metric names the sink exports', () => {
    const used = new Set(rules.match(/tributary_es_sink_[a-z_]+/g) ?? []);
    expect(used.size).toBeGreaterThan(0);
    const known = new Set<string>(Object.values(SINK_METRIC_NAMES));
    for (const name of used) expect(known, name).toContain(name);
  });

  it('fails promtool check rules for a broken copy (invalid PromQL)', async () => {
    const broken = rules.replace('> 0.1', '> > 0.1');
    expect(broken).not.toBe(rules);
    const dir = await writeRulesCopy(scratch, 'invalid', broken, tests);
    const run = await promtool(['check', 'rules', 'alerts.yml'], dir);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/FAILED|error/i);
  });

  it('fails promtool test rules for a copy whose paused-partitions alert fires too early', async () => {
    const early = rules.replace(
      /(max by \(job, instance\) \(tributary_es_sink_paused_partitions\) > 0\n\s+for:) 15m/,
      '$1 1m',
    );
    expect(early).not.toBe(rules);
    const dir = await writeRulesCopy(scratch, 'early', early, tests);
    expect((await promtool(['check', 'rules', 'alerts.yml'], dir)).code).toBe(0);
    const run = await promtool(['test', 'rules', 'alerts.test.yml'], dir);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('TributaryEsSinkPartitionsPaused');
  });
});
