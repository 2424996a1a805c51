import { DASHBOARD_ERROR_CODES, DashboardError } from './errors.js';

/** One sample: `metricName` is set when it differs from the family name (`_bucket`, `_sum`, `_count`). */
export interface MetricSample {
  readonly metricName?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family, in the shape of prom-client's `registry.getMetricsAsJSON()` entries. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly values: readonly MetricSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created', '_info'];

interface MutableFamily {
  name: string;
  help: string;
  type: string;
  values: MetricSample[];
}

function invalid(lineNo: number, reason: string): DashboardError {
  return new DashboardError(
    DASHBOARD_ERROR_CODES.METRICS_TEXT_INVALID,
    `Prometheus text line ${lineNo}: ${reason}`,
  );
}

function parseValue(text: string, lineNo: number): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
  }
  const n = Number(text);
  if (text === '' || Number.isNaN(n)) throw invalid(lineNo, `bad sample value ${JSON.stringify(text)}`);
  return n;
}

/** Parses `{a="x",b="y\"z"}` starting at `start` (the `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, start: number, lineNo: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return [labels, i + 1];
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i))?.[0];
    if (name === undefined) throw invalid(lineNo, 'bad label name');
    i += name.length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=' || line[i + 1] !== '"') throw invalid(lineNo, `label ${name} needs ="value"`);
    i += 2;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) throw invalid(lineNo, `unterminated value of label ${name}`);
      i++;
      if (c === '"') break;
      if (c === '\\') {
        const e = line[i++];
        value += e === 'n' ? '\n' : (e ?? '');
      } else {
        value += c;
      }
    }
    labels[name] = value;
  }
}

/**
 * Parses the Prometheus text exposition format (version 0.0.4, as prom-client and every exporter write it) into
 * metric families shaped like prom-client's JSON. Samples join the family declared by `# TYPE` whose name they
 * extend (`x_bucket` → `x`); undeclared names become `untyped` families. Throws `TRIB_DASH_METRICS_TEXT_INVALID`
 * naming the line of a malformed sample.
 */
export function parsePrometheusText(text: string): MetricFamily[] {
  const families = new Map<string, MutableFamily>();
  const family = (name: string): MutableFamily => {
    let f = families.get(name);
    if (f === undefined) {
      f = { name, help: '', type: 'untyped', values: [] };
      families.set(name, f);
    }
    return f;
  };
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s*(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(.*)$/.exec(line);
      if (m === null) continue; // a comment
      const f = family(m[2]!);
      if (m[1] === 'TYPE') f.type = m[3]!.trim() || 'untyped';
      else f.help = m[3]!.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      continue;
    }
    const name = NAME.exec(line)?.[0];
    if (name === undefined) throw invalid(n + 1, 'expected a metric name');
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') [labels, i] = parseLabels(line, i, n + 1);
    const [valueText = '', ...rest] = line.slice(i).trim().split(/\s+/);
    if (rest.length > 1) throw invalid(n + 1, 'trailing text after the timestamp');
    const value = parseValue(valueText, n + 1);
    const own = families.get(name);
    const base =
      own !== undefined && own.type !== 'untyped'
        ? undefined
        : SUFFIXES.map((s) => (name.endsWith(s) ? name.slice(0, -s.length) : undefined)).find(
            (b) => b !== undefined && families.has(b) && families.get(b)!.type !== 'untyped',
          );
    if (base === undefined) family(name).values.push({ labels, value });
    else family(base).values.push({ metricName: name, labels, value });
  }
  return [...families.values()];
}
