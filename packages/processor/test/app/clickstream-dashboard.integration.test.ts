import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad } from '@tributary/producer';
import type { GroundTruthManifest, LoadOptions } from '@tributary/producer';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { registryMetricsSource, startDashboardServer } from '@tributary/dashboard';
import type { DashboardView } from '@tributary/dashboard';
import { PROCESSOR_METRIC_NAMES } from '@tributary/schema';
import { createClickstreamApp } from '../../src/app/clickstream.js';
import { testProcessorConfig } from '../helpers/clickstream-config.js';
import { useClickstreamSuite } from '../helpers/clickstream-suite.js';
import { deleteIndices, elasticsearchClient } from '../helpers/elasticsearch.js';

const brokers = inject('kafkaBrokers');
const esUrl = inject('elasticsearchUrl');
const PARTITIONS = 2;
const WINDOW_MS = 10_000;
/** `tributary-processor` (the job, with its embedded dashboard and the delegating `dashboard` command). */
const PROCESSOR_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** `tributary-dashboard`, the dashboard of a job in another process. */
const DASHBOARD_CLI = join(
  dirname(createRequire(import.meta.url).resolve('@tributary/dashboard/package.json')),
  'dist',
  'cli.js',
);
const ARTIFACTS = fileURLToPath(new URL('../../../../test-results/', import.meta.url));
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

type Totals = Map<string, { clicks: number; views: number }>;

/** Clicks and views per page summed over every window of the manifests (what "top pages" must show). */
function expectedTotals(...manifests: GroundTruthManifest[]): Totals {
  const totals: Totals = new Map();
  for (const m of manifests) {
    for (const w of m.windows) {
      const t = totals.get(w.pageUrl) ?? { clicks: 0, views: 0 };
      totals.set(w.pageUrl, { clicks: t.clicks + w.clickCount, views: t.views + w.viewCount });
    }
  }
  return totals;
}

/** The top-pages table as the browser renders it. */
async function shownTotals(page: Page): Promise<Totals> {
  const rows = await page.$$eval('#top-pages tbody tr', (trs) =>
    trs.map((tr) => ({
      page: tr.getAttribute('data-page-url') ?? '',
      clicks: Number(tr.querySelector('td.clicks')?.textContent?.replace(/,/g, '')),
      views: Number(tr.querySelector('td.views')?.textContent?.replace(/,/g, '')),
    })),
  );
  return new Map(rows.map((r) => [r.page, { clicks: r.clicks, views: r.views }]));
}

const sameTotals = (a: Totals, b: Totals): boolean =>
  a.size === b.size && [...a].every(([k, v]) => b.get(k)?.clicks === v.clicks && b.get(k)?.views === v.views);

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const es = elasticsearchClient(esUrl);

interface CliRun {
  readonly stdout: () => string;
  readonly exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
  kill(): void;
}

/** `node <package>/dist/cli.js …` (a built bin, `tributary-processor` unless told), its output collected. */
function runCli(args: string[], env: Record<string, string> = {}, cli = PROCESSOR_CLI): CliRun {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npx nx run-many -t build\` first`);
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return {
    stdout: () => stdout,
    exit: new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr }))),
    kill: () => child.kill('SIGTERM'),
  };
}

describe('live dashboard in headless Chromium', () => {
  const { suffix, topics } = useClickstreamSuite(brokers, 'dash', PARTITIONS, (s) =>
    ['', '-merge', '-elasticsearch'].map((stage) => `${s}-app${stage}`),
  );
  const indexPrefix = `${suffix}-metrics-idx`;
  const userDataDir = mkdtempSync(join(tmpdir(), 'tributary-chromium-'));

  afterAll(async () => {
    await deleteIndices(es, indexPrefix);
    rmSync(userDataDir, { recursive: true, force: true });
  });

  it('shows the top pages the pipeline indexed and updates without a reload when more events arrive', async () => {
    const load = (extra: Partial<LoadOptions>) =>
      runLoad({
        brokers,
        topic: topics.inputTopic,
        partitions: PARTITIONS,
        windowSizeMs: WINDOW_MS,
        outOfOrdernessMs: 5_000,
        allowedLatenessMs: 0,
        rate: 0,
        pages: 6,
        users: 40,
        progressIntervalMs: 0,
        ...extra,
      });
    // Event times two minutes ago: idle partitions move the watermark past them, so every window closes at once.
    const first = await load({
      count: 300,
      seed: 21,
      eventTimeOriginMs: Date.now() - 150_000,
      eventsPerSecond: 10,
    });
    expect(first.sent).toBe(300);

    const app = createClickstreamApp(
      testProcessorConfig({
        ...topics,
        applicationId: `${suffix}-app`,
        brokers,
        esUrl,
        indexPrefix,
        windowSizeMs: WINDOW_MS,
        metricsPort: 0,
      }),
      {
        dashboard: {
          port: 0,
          refreshMs: 500,
          sampleIntervalMs: 250,
          rateWindowMs: 2_000,
          topPagesMinutes: 10,
          chartMinutes: 10,
        },
      },
    );
    let context: BrowserContext | undefined;
    await app.start();
    try {
      expect(app.dashboard?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1360, height: 860 },
      });
      const page = await context.newPage();
      await page.goto(app.dashboard!.url);
      await page.evaluate(() => ((globalThis as unknown as { loadedOnce: boolean }).loadedOnce = true));

      const afterFirst = expectedTotals(first.manifest);
      await waitUntil(
        'the table shows the first batch',
        async () => sameTotals(await shownTotals(page), afterFirst),
        90_000,
      );
      // The pipeline tiles read the job's registry: throughput and consumer lag are registered from the start.
      expect(await page.textContent('#stat-throughput')).toMatch(/^\d/);
      expect(await page.textContent('#stat-consumer-lag')).toMatch(/^\d/);
      const clicksBefore = await page.getAttribute(
        '#chart-clicks-views polyline.series-clicks',
        'data-values',
      );
      const updatesBefore = Number(await page.getAttribute('body', 'data-updates'));

      // More events, at the wall clock now: the page must pick them up on its own.
      const second = await load({ count: 200, seed: 22, eventsPerSecond: 1_000 });
      expect(second.sent).toBe(200);
      const afterBoth = expectedTotals(first.manifest, second.manifest);
      expect(sameTotals(afterBoth, afterFirst)).toBe(false);
      await waitUntil(
        'the table shows both batches',
        async () => sameTotals(await shownTotals(page), afterBoth),
        90_000,
      );

      expect(await page.evaluate(() => (globalThis as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(
        true,
      );
      expect(Number(await page.getAttribute('body', 'data-updates'))).toBeGreaterThan(updatesBefore);
      expect(await page.getAttribute('#chart-clicks-views polyline.series-clicks', 'data-values')).not.toBe(
        clicksBefore,
      );
      // The table is the first-page order of Elasticsearch: most clicks first.
      const shown = [...(await shownTotals(page)).values()].map((r) => r.clicks);
      expect(shown).toEqual([...shown].sort((a, b) => b - a));
      await waitUntil(
        'the p99 and watermark lag tiles show figures',
        async () =>
          /^\d/.test((await page.textContent('#stat-p99')) ?? '') &&
          /^\d/.test((await page.textContent('#stat-watermark-lag')) ?? ''),
        20_000,
      );
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

      // tributary-dashboard in another process: same table, pipeline figures scraped from the job's /metrics.
      const companion = runCli(
        [
          '--metrics-url',
          `${app.metricsUrl!}/metrics`,
          '--es-url',
          esUrl,
          '--index',
          indexPrefix,
          '--port',
          '0',
          '--top-pages-minutes',
          '10',
        ],
        {},
        DASHBOARD_CLI,
      );
      try {
        await waitUntil(
          'the companion prints its URL',
          async () => /dashboard at (\S+)/.test(companion.stdout()),
          20_000,
        );
        const url = /dashboard at (\S+)/.exec(companion.stdout())![1]!;
        let view: DashboardView | undefined;
        await waitUntil(
          'the companion shows both batches and the scraped record count',
          async () => {
            view = (await (await fetch(new URL('/api/dashboard', url))).json()) as DashboardView;
            const totals: Totals = new Map(view.topPages.rows.map((r) => [r.pageUrl, r]));
            return sameTotals(totals, afterBoth) && view.pipeline.recordsInTotal !== null;
          },
          20_000,
        );
        // Every stage's input counted (no --input-topic): at least the 500 events of stage 1.
        expect(view!.pipeline.recordsInTotal).toBeGreaterThanOrEqual(500);
        expect(view!.pipeline.consumerLag).not.toBeNull();
        expect(view!.pipeline.error).toBeNull();
      } finally {
        companion.kill();
        expect((await companion.exit).code).toBe(0);
      }
    } finally {
      await context?.close();
      await app.stop();
    }
  });

  it('says the Elasticsearch panels are off, without an error, for a job run with --no-elasticsearch', async () => {
    const registry = new Registry();
    new Counter({
      name: PROCESSOR_METRIC_NAMES.recordsIn,
      help: 'h',
      labelNames: ['stage', 'topic'],
      registers: [registry],
    })
      .labels({ stage: 'app', topic: 'events' })
      .inc(5);
    const dashboard = await startDashboardServer(
      { port: 0, elasticsearch: false, refreshMs: 250, sampleIntervalMs: 100 },
      { metrics: registryMetricsSource(registry) },
    );
    const dir = mkdtempSync(join(tmpdir(), 'tributary-chromium-'));
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(dir, {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1360, height: 860 },
      });
      const page = await context.newPage();
      await page.goto(dashboard.url);
      await waitUntil(
        'the page to render a view',
        async () => Number(await page.getAttribute('body', 'data-updates')) > 0,
        20_000,
      );
      expect(await page.textContent('#top-pages-off')).toContain('Elasticsearch panels are off');
      expect(await page.textContent('#chart-off')).toContain('Elasticsearch panels are off');
      expect(await page.textContent('#top-pages-error')).toBe('');
      expect(await page.textContent('#chart-error')).toBe('');
      expect(await page.isVisible('#top-pages')).toBe(false);
      expect(await page.isVisible('#top-pages-empty')).toBe(false);
      // The pipeline tiles still work: they read the job's metrics, not Elasticsearch.
      expect(await page.textContent('#stat-throughput')).not.toBe('');
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-elasticsearch-off.png'), fullPage: true });
    } finally {
      await context?.close();
      await dashboard.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tributary-dashboard and the dashboard command print help, and exit 2 naming a bad or missing flag', async () => {
    const ownHelp = await runCli(['--help'], {}, DASHBOARD_CLI).exit;
    expect(ownHelp.code).toBe(0);
    expect(ownHelp.stdout).toContain('Usage: tributary-dashboard --metrics-url <url>');
    const ownMissing = await runCli([], {}, DASHBOARD_CLI).exit;
    expect(ownMissing.code).toBe(2);
    expect(ownMissing.stderr).toContain('tributary-dashboard: --metrics-url must be the http(s) URL');
    const help = await runCli(['dashboard', '--help']).exit;
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tributary-processor dashboard --metrics-url <url>');
    const missing = await runCli(['dashboard']).exit;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--metrics-url must be the http(s) URL');
    const badPort = await runCli(['clickstream', '--dashboard-port', 'x']).exit;
    expect(badPort.code).toBe(2);
    // Named like every clickstream option: as the user gave it (flag or variable), its constraint and the value.
    expect(badPort.stderr).toContain('--dashboard-port must be a number (got "x")');
    const badEnv = await runCli(['clickstream'], { TRIBUTARY_DASHBOARD: 'maybe' }).exit;
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('TRIBUTARY_DASHBOARD must be a boolean (got "maybe")');
    const clickstreamHelp = await runCli(['--help']).exit;
    expect(clickstreamHelp.stdout).toContain('--dashboard-port <n>');
    expect(clickstreamHelp.stdout).toContain('TRIBUTARY_DASHBOARD_PORT');
  });
});
