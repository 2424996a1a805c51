import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtool, writeRulesCopy } from '../../../../test/helpers/promtool.js';
import { STATE_LIMIT_CODES } from '../../src/engine/state-limits.js';
import { PROCESSOR_METRIC_NAMES } from '@tributary/schema';

const DIR = fileURLToPath(new URL('../../prometheus/', import.meta.url));

describe('prometheus/alerts.yml', () => {
  let rules: string;
  let tests: string;
  let scratch: string;
  beforeAll(async () => {
    rules = await readFile(join(DIR, 'alerts.yml'), 'utf8');
    tests = await readFile(join(DIR, 'alerts.test.yml'), 'utf8');
    scratch = await mkdtemp(join(tmpdir(), 'tributary-alerts-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('passes promtool check rules', async () => {
    const run = await promtool(['check', 'rules', 'alerts.yml'], DIR);
    expect(run.output).toContain('SUCCESS: 7 rules found');
    expect(run.code).toBe(0);
  });

  it('passes its promtool unit tests (every alert firing and not firing)', async () => {
    const run = await promtool(['test', 'rules', 'alerts.test.yml'], DIR);
    expect(run.output).toContain('SUCCESS');
    expect(run.output).not.toContain('FAILED');
    expect(run.code).toBe(0);
  });

  it('has a unit test for every alert and only uses metric names the processor exports', () => {
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    expect(alerts).toHaveLength(7);
    for (const alert of alerts) expect(tests).toContain(`alertname: ${alert}`);
    const known = new Set<string>(Object.values(PROCESSOR_METRIC_NAMES));
    const used = new Set([...rules.matchAll(/tributary_processor_\w+/g)].map((m) => m[0]));
    expect(used.size).toBeGreaterThan(0);
    for (const name of used) expect(known, `${name} is not in PROCESSOR_METRIC_NAMES`).toContain(name);
  });

  it('watches the dead-letter codes of every state cap', () => {
    const codes = /code=~"([^"]+)"/.exec(rules)?.[1]?.split('|');
    expect(codes?.sort()).toEqual(Object.values(STATE_LIMIT_CODES).sort());
  });

  it('fails the unit tests when a rule is broken (a threshold changed)', async () => {
    const broken = rules.replace(
      'tributary_processor_consecutive_commit_failures) >= 3',
      'tributary_processor_consecutive_commit_failures) >= 30',
    );
    expect(broken).not.toBe(rules);
    const dir = await writeRulesCopy(scratch, 'threshold', broken, tests);
    const run = await promtool(['test', 'rules', 'alerts.test.yml'], dir);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('FAILED');
    expect(run.output).toContain('TributaryProcessorCommitsFailing');
  });

  it('fails promtool check rules on an invalid expression', async () => {
    const dir = await writeRulesCopy(scratch, 'syntax', rules.replace('> 100000', '> > 100000'), tests);
    const run = await promtool(['check', 'rules', 'alerts.yml'], dir);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/FAILED|error/i);
  });
});
