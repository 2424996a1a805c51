import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { processorCliPath } from '../../../src/run/processor-child.js';
import {
  childMainPath,
  processorChildArgs,
  type ContenderSettings,
} from '../../../src/suites/processor-vs-kafkajs/contenders.js';

const settings: ContenderSettings = {
  brokers: ['127.0.0.1:9092'],
  runId: 'bench-proc-1',
  nodeFlags: [],
  timeoutMs: 1000,
  cpuProfDir: undefined,
  commitIntervalMs: 100,
  processorArgs: ['--full-decode'],
  log: () => undefined,
};

describe('processor children', () => {
  const checkout = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
  const dist = join(checkout, 'packages', 'processor', 'dist');
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, 'index.js'), '');
  afterAll(() => rmSync(checkout, { recursive: true, force: true }));

  it('runs the count job from the built child entry, on this build or the baseline', () => {
    const args = processorChildArgs(settings, 'count', 'app', 'in', 'exactly-once', []);
    expect(args.slice(0, 2)).toEqual([childMainPath(), 'count-job']);
    expect(childMainPath()).toMatch(/bench\/dist\/suites\/processor-vs-kafkajs\/child-main\.js$/);
    expect(JSON.parse(args[2]!)).toEqual({
      processor: '@tributary/processor',
      brokers: ['127.0.0.1:9092'],
      applicationId: 'app',
      inputTopic: 'in',
      processingGuarantee: 'exactly-once',
      commitIntervalMs: 100,
    });
    const baseline = processorChildArgs(settings, 'count', 'app', 'in', 'at-least-once', [], checkout);
    expect(JSON.parse(baseline[2]!).processor).toBe(pathToFileURL(join(dist, 'index.js')).href);
  });

  it("runs the reference app's CLI with the job's topics, the extra flags last", () => {
    expect(
      processorChildArgs(settings, 'clickstream', 'app', 'in', 'exactly-once', ['--no-elasticsearch']),
    ).toEqual([
      processorCliPath(),
      'clickstream',
      ...['--brokers', '127.0.0.1:9092', '--application-id', 'app', '--input-topic', 'in'],
      ...['--results-topic', 'app-results', '--late-topic', 'app-late', '--dead-letter-topic', 'app-dlq'],
      ...['--repartition-topic', 'app-repartition', '--processing-guarantee', 'exactly-once'],
      ...['--commit-interval-ms', '100', '--no-elasticsearch', '--full-decode'],
    ]);
    const cpuProf = { ...settings, cpuProfDir: join(checkout, 'prof') };
    expect(
      processorChildArgs(cpuProf, 'clickstream', 'app', 'in', 'exactly-once', [], checkout).slice(0, 7),
    ).toEqual([
      ...['--cpu-prof', '--cpu-prof-dir', join(checkout, 'prof'), '--cpu-prof-name', 'app.cpuprofile'],
      join(dist, 'cli.js'),
      'clickstream',
    ]);
  });
});
