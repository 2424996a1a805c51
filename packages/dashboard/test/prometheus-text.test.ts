import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registryMetricsSource } from '../src/metrics-source.js';
import { parsePrometheusText } from '../src/prometheus-text.js';

describe('parsePrometheusText', () => {
  it('reads families with help, type, labels (escaped) and special values', () => {
    const text = [
      '# HELP x_total Things done\\nsince start',
      '# TYPE x_total counter',
      'x_total{stage="a",path="C:\\\\tmp",q="say \\"hi\\""} 3',
      'x_total{stage="b"} 4.5e2 1700000000000',
      '# a plain comment',
      '',
      '# TYPE g gauge',
      'g -Inf',
      'g{p="1"} NaN',
      'untyped_one 7',
    ].join('\n');
    const families = parsePrometheusText(text);
    expect(families.map((f) => [f.name, f.type])).toEqual([
      ['x_total', 'counter'],
      ['g', 'gauge'],
      ['untyped_one', 'untyped'],
    ]);
    expect(families[0]!.help).toBe('Things done\nsince start');
    expect(families[0]!.values).toEqual([
      { labels: { stage: 'a', path: 'C:\\tmp', q: 'say "hi"' }, value: 3 },
      { labels: { stage: 'b' }, value: 450 },
    ]);
    expect(families[1]!.values[0]!.value).toBe(-Infinity);
    expect(families[1]!.values[1]!.value).toBeNaN();
  });

  it('groups _bucket, _sum and _count under their histogram with metricName set', () => {
    const text = [
      '# TYPE lat histogram',
      'lat_bucket{le="0.1",stage="s"} 1',
      'lat_bucket{le="+Inf",stage="s"} 3',
      'lat_sum{stage="s"} 2.5',
      'lat_count{stage="s"} 3',
    ].join('\n');
    const [lat] = parsePrometheusText(text);
    expect(lat!.values.map((v) => [v.metricName, v.labels['le'], v.value])).toEqual([
      ['lat_bucket', '0.1', 1],
      ['lat_bucket', '+Inf', 3],
      ['lat_sum', undefined, 2.5],
      ['lat_count', undefined, 3],
    ]);
  });

  it("reads prom-client's own exposition the same as its JSON", async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'c_total', help: 'c', labelNames: ['topic'], registers: [registry] });
    const g = new Gauge({ name: 'g', help: 'g', labelNames: ['partition'], registers: [registry] });
    const h = new Histogram({ name: 'h_seconds', help: 'h', buckets: [0.5, 1], registers: [registry] });
    c.inc({ topic: 'in' }, 5);
    g.set({ partition: '0' }, 12);
    h.observe(0.2);
    h.observe(3);
    const parsed = parsePrometheusText(await registry.metrics());
    const fromJson = await registryMetricsSource(registry)();
    expect(parsed).toEqual(fromJson);
  });

  it('names the line of a malformed sample', () => {
    const bad = (text: string): unknown => {
      try {
        parsePrometheusText(text);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(bad('ok 1\n{x="1"} 2')).toMatchObject({
      code: 'TRIB_DASH_METRICS_TEXT_INVALID',
      message: /line 2/,
    });
    expect(bad('m{a="1} 2')).toMatchObject({
      code: 'TRIB_DASH_METRICS_TEXT_INVALID',
      message: /unterminated/,
    });
    expect(bad('m{a=1} 2')).toMatchObject({ message: /label a needs/ });
    expect(bad('m one')).toMatchObject({ message: /bad sample value "one"/ });
    expect(bad('m')).toMatchObject({ message: /bad sample value ""/ });
  });
});
