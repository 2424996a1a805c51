import type { Client } from '@elastic/elasticsearch';
import { defineOptions, option, z } from '@tributary/options';
import { SINK_ERROR_CODES, SinkError, invalidOption } from '../errors.js';

/** A composable index template installed (idempotently) before the sink's first write. */
export const INDEX_TEMPLATE = z
  .object({
    /** Template name (`PUT _index_template/<name>`). */
    name: z.string().regex(/^[^A-Z\s]+$/, 'must be a non-empty lowercase name'),
    /** Index patterns the template applies to, e.g. `['clickstream-metrics-*']`. */
    indexPatterns: z.array(z.string().min(1)).min(1),
    /** Explicit mappings (`{ properties: { … } }`). */
    mappings: z.record(z.string(), z.unknown()).optional(),
    /** `index.refresh_interval`, e.g. `'30s'` for write-heavy indices. */
    refreshInterval: z.string().min(1).optional(),
    /** `index.number_of_shards`. */
    shards: z.int().min(1).optional(),
    /** `index.number_of_replicas` (0 on a single node). */
    replicas: z.int().min(0).optional(),
    /** Alias every matching index joins (in the template's `aliases`), e.g. `clickstream-metrics`. */
    alias: z.string().min(1).optional(),
    /** Make the template a data-stream template (`data_stream: {}`): writes use op_type create and `@timestamp`. */
    dataStream: z.boolean().optional(),
    /** Template priority; higher wins over overlapping templates. */
    priority: z.int().min(0).optional(),
    /** Extra index settings merged under `index`. */
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((spec) => spec.dataStream !== true || spec.alias === undefined, {
    path: ['alias'],
    message: 'cannot be combined with template.dataStream (data streams are their own alias)',
  });

export type IndexTemplateSpec = z.input<typeof INDEX_TEMPLATE>;

const TEMPLATE_OPTIONS = defineOptions(
  { template: option(INDEX_TEMPLATE, 'composable index template') },
  { component: 'installIndexTemplate', invalid: invalidOption },
);

/** Validates a template spec; messages name the field (`template.<field>`). */
export function validateTemplateSpec(spec: IndexTemplateSpec): void {
  TEMPLATE_OPTIONS.resolve({ template: spec });
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
