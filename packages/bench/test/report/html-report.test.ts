import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { validateResults } from '../../src/report/validate-results.js';
import { loadFixture } from './load-fixture.js';

describe('renderHtmlReport', () => {
  const results = validateResults(loadFixture());
  const html = renderHtmlReport(results);

  it('is one self-contained page: no URL, script, stylesheet link, image or import is fetched', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\ssrc=|\shref=/i);
  });

  it('holds the aggregated table with the fixture values and the correctness line', () => {
    for (const cell of ['Kafka', 'Processor', 'Elasticsearch', 'End-to-end', '3.9.1', '8.14.3']) {
      expect(html).toContain(`>${cell}</td>`);
    }
    // Kafka p99 medians across the 3 runs of the fixture, end-to-end p99, Elasticsearch startup.
    expect(html).toContain('<td>11.4 ms (10.8–12.2)</td>');
    expect(html).toContain('<td>1.27 s (1.25–1.32)</td>');
    expect(html).toContain('<td>3.54 s (3.52–3.56)</td>');
    expect(html).toContain(
      'Correctness: produced 900,000 · counted 899,964 · late 36 · dead-lettered 0 · lost 0 · duplicated 0',
    );
    expect(html).toContain('class="ok"');
  });

  it('draws inline SVG percentile plots per histogram and time series per series, one line per run', () => {
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(5); // 3 histograms + 2 series
    expect(html).toContain('<title>end-to-end latency by percentile</title>');
    expect(html).toContain('<title>schedule-lag latency by percentile</title>');
    expect(html).toContain('<title>throughput produced</title>');
    expect(html).toContain('<title>consumer lag</title>');
    for (const svg of svgs) expect(svg.match(/<polyline /g)).toHaveLength(3);
    // The percentile axis is labelled in nines.
    expect(svgs[0]).toContain('>99.9%</text>');
  });

  it('states environment, workload, method and latency definitions', () => {
    expect(html).toContain('Intel(R) Xeon(R) CPU @ 2.20GHz × 2');
    expect(html).toContain('openjdk version &quot;17.0.13&quot;');
    expect(html).toContain('10.0k/s intended, open loop');
    expect(html).toContain('<dt>outOfOrdernessMs</dt><dd>5000</dd>');
    expect(html).toContain('autocannon runs with its correction off');
    expect(html).toContain('window result searchable in Elasticsearch − window close time');
  });

  it('escapes text from the results file and flags a failed correctness line', () => {
    const hostile = {
      ...results,
      workload: { ...results.workload, params: { note: '<script>alert(1)</script>' } },
      aggregate: { ...results.aggregate, correctness: { ...results.aggregate.correctness, lost: 3 } },
    };
    const page = renderHtmlReport(hostile);
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;');
    expect(page).toContain('class="bad"');
  });
});
