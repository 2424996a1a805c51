import type { Client } from '@elastic/elasticsearch';
import { SINK_ERROR_CODES, SinkError, invalidOption } from '../errors.js';

/** A composable index template installed (idempotently) before the sink's first write. */
export interface IndexTemplateSpec {
  /** Template name (`PUT _index_template/<name>`). */
  name: string;
  /** Index patterns the template applies to, e.g. `['clickstream-metrics-*']`. */
  indexPatterns: string[];
  /** Explicit mappings (`{ properties: { … } }`). */
  mappings?: Record<string, unknown>;
  /** `index.refresh_interval`, e.g. `'30s'` for write-heavy indices. */
  refreshInterval?: string;
  /** `index.number_of_shards`. */
  shards?: number;
  /** `index.number_of_replicas` (0 on a single node). */
  replicas?: number;
  /** Alias every matching index joins (in the template's `aliases`), e.g. `clickstream-metrics`. */
  alias?: string;
  /** Make the template a data-stream template (`data_stream: {}`): writes use op_type create and `@timestamp`. */
  dataStream?: boolean;
  /** Template priority; higher wins over overlapping templates. */
  priority?: number;
  /** Extra index settings merged under `index`. */
  settings?: Record<string, unknown>;
}

/** Validates a template spec; messages name the option (`template.<field>`). */
export function validateTemplateSpec(spec: IndexTemplateSpec): void {
  if (typeof spec.name !== 'string' || spec.name === '' || /[A-Z\s]/.test(spec.name)) {
    throw invalidOption('template.name', 'must be a non-empty lowercase name');
  }
  if (
    !Array.isArray(spec.indexPatterns) ||
    spec.indexPatterns.length === 0 ||
    spec.indexPatterns.some((p) => typeof p !== 'string' || p === '')
  ) {
    throw invalidOption('template.indexPatterns', 'must be a non-empty array of index patterns');
  }
  for (const key of ['shards', 'priority'] as const) {
    const v = spec[key];
    if (v !== undefined && (!Number.isInteger(v) || v < (key === 'shards' ? 1 : 0))) {
      throw invalidOption(`template.${key}`, `must be an integer >= ${key === 'shards' ? 1 : 0}`);
    }
  }
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
    throw invalidOption('template.replicas', 'must be an integer >= 0');
  }
  if (spec.dataStream === true && spec.alias !== undefined) {
    throw invalidOption(
      'template.alias',
      'cannot be combined with template.dataStream (data streams are their own alias)',
    );
  }
}

/** The request body of `PUT _index_template/<name>` for a spec. */
export function templateBody(spec: IndexTemplateSpec): Record<string, unknown> {
  const index: Record<string, unknown> = { ...spec.settings };
  if (spec.refreshInterval !== undefined) index['refresh_interval'] = spec.refreshInterval;
  if (spec.shards !== undefined) index['number_of_shards'] = spec.shards;
  if (spec.replicas !== undefined) index['number_of_replicas'] = spec.replicas;
  const template: Record<string, unknown> = {};
  if (Object.keys(index).length > 0) template['settings'] = { index };
  if (spec.mappings !== undefined) template['mappings'] = spec.mappings;
  if (spec.alias !== undefined) template['aliases'] = { [spec.alias]: {} };
  const body: Record<string, unknown> = {
    index_patterns: spec.indexPatterns,
    template,
    priority: spec.priority ?? 200,
    _meta: { managed_by: '@tributary/es-sink' },
  };
  if (spec.dataStream === true) body['data_stream'] = {};
  return body;
}

/**
 * Installs (or updates) the composable template. Idempotent: `PUT _index_template` replaces a template of the
 * same name with the same content, so concurrent sinks and restarts are harmless. Existing indices keep their
 * settings; new (daily) indices pick the template up.
 */
export async function installIndexTemplate(client: Client, spec: IndexTemplateSpec): Promise<void> {
  validateTemplateSpec(spec);
  try {
    await client.transport.request(
      { method: 'PUT', path: `/_index_template/${encodeURIComponent(spec.name)}`, body: templateBody(spec) },
      { maxRetries: 2 },
    );
  } catch (cause) {
    const status = (cause as { meta?: { statusCode?: number } }).meta?.statusCode;
    throw new SinkError(
      SINK_ERROR_CODES.TEMPLATE_FAILED,
      `installing index template ${spec.name} failed: ${(cause as Error).message}`,
      {
        cause,
        retriable: status === undefined || status >= 500 || status === 429,
        ...(status === undefined ? {} : { status }),
      },
    );
  }
}
