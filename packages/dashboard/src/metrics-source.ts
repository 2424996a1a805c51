import type { Registry } from 'prom-client';
import { parsePrometheusText } from './prometheus-text.js';
import type { MetricFamily } from './prometheus-text.js';

/** Reads the job's metric families now. */
export type MetricsSource = () => Promise<MetricFamily[]>;

/** The metrics of a job in this process: its prom-client registry. */
export function registryMetricsSource(registry: Registry): MetricsSource {
  return async () => {
    const json = await registry.getMetricsAsJSON();
    return json.map((m) => ({
      name: m.name,
      help: m.help,
      type: String(m.type),
      values: m.values.map((v) => {
        const labels: Record<string, string> = {};
        for (const [k, value] of Object.entries(v.labels)) if (value !== undefined) labels[k] = String(value);
        const metricName = (v as { metricName?: string }).metricName;
        return metricName === undefined ? { labels, value: v.value } : { metricName, labels, value: v.value };
      }),
    }));
  };
}

/** The metrics of a job in another process: scrapes its `/metrics` endpoint (Prometheus text format). */
export function scrapeMetricsSource(url: string, timeoutMs: number): MetricsSource {
  return async () => {
    const response = await fetch(url, {
      headers: { accept: 'text/plain;version=0.0.4' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`GET ${url} answered HTTP ${response.status}`);
    return parsePrometheusText(await response.text());
  };
}
