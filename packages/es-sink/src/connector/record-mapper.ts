import {
  WINDOW_DOCUMENT_MAPPINGS,
  decodeWindowResult,
  windowDocumentId,
  windowResultToJSON,
} from '@tributary/schema';
import { readPath } from '../index-management/index-name.js';
import type { IndexTemplateSpec } from '../index-management/index-template.js';

/** The parts of a Kafka record a mapper reads. */
export interface SourceRecord {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  partition: number;
}

/** A record mapped to a document, its id and its external version. */
export interface MappedRecord {
  document: Record<string, unknown>;
  id: string | undefined;
  version: number | undefined;
}

export type RecordMapper = (record: SourceRecord) => MappedRecord;

/** Record formats the connector understands. */
export const RECORD_FORMATS = { windowResult: 'window-result', json: 'json' } as const;
export type RecordFormat = (typeof RECORD_FORMATS)[keyof typeof RECORD_FORMATS];

/** Where the external version of a JSON record comes from. */
export const VERSION_SOURCES = { offset: 'offset', field: 'field', none: 'none' } as const;
export type VersionSource = (typeof VERSION_SOURCES)[keyof typeof VERSION_SOURCES];

/** Thrown by mappers for records that cannot become documents; the connector dead-letters the record. */
export class RecordMappingError extends Error {
  override readonly name = 'RecordMappingError';
  readonly errorType: string;
  constructor(errorType: string, message: string, options?: { cause: unknown }) {
    super(message, options);
    this.errorType = errorType;
  }
}

/**
 * Protobuf `WindowResult` → its document (`windowResultToJSON`), id = `windowDocumentId(page_url, window_start)`,
 * external version = result.version (a later emission of the same window wins); all three from @tributary/schema.
 */
export function windowResultMapper(): RecordMapper {
  return (record) => {
    if (record.value === null) throw new RecordMappingError('tombstone', 'record has no value (tombstone)');
    let r;
    try {
      r = decodeWindowResult(record.value);
    } catch (cause) {
      throw new RecordMappingError(
        'decode_error',
        `cannot decode WindowResult: ${(cause as Error).message}`,
        { cause },
      );
    }
    return {
      document: windowResultToJSON(r),
      id: windowDocumentId(r.pageUrl, r.windowStart),
      version: r.version,
    };
  };
}

export interface JsonMapperOptions {
  /** Dotted path of the id field; without it the id is `<partition>-<offset>` of the record (idempotent replays). */
  idField?: string;
  versionFrom: VersionSource;
  /** Dotted path of the version field when `versionFrom` is `field`. */
  versionField?: string;
}

/** The record's value parsed as a JSON object; tombstones, non-JSON and non-objects are mapping errors. */
export function jsonObjectValue(record: { readonly value: Buffer | null }): Record<string, unknown> {
  if (record.value === null) throw new RecordMappingError('tombstone', 'record has no value (tombstone)');
  let document: unknown;
  try {
    document = JSON.parse(record.value.toString('utf8'));
  } catch (cause) {
    throw new RecordMappingError('decode_error', `value is not JSON: ${(cause as Error).message}`, { cause });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new RecordMappingError('decode_error', 'value is not a JSON object');
  }
  return document as Record<string, unknown>;
}

/** JSON records: id from a field (or partition-offset), external version from the offset, a field, or none. */
export function jsonMapper(options: JsonMapperOptions): RecordMapper {
  return (record) => {
    const document = jsonObjectValue(record);
    let id: string | undefined = `${record.partition}-${record.offset}`;
    if (options.idField !== undefined) {
      const raw = readPath(document, options.idField);
      if (typeof raw !== 'string' && typeof raw !== 'number') {
        throw new RecordMappingError(
          'missing_id',
          `id field ${options.idField} is missing or not a string/number`,
        );
      }
      id = String(raw);
    }
    let version: number | undefined;
    if (options.versionFrom === 'offset') version = Number(record.offset);
    else if (options.versionFrom === 'field') {
      const raw = readPath(document, options.versionField ?? 'version');
      version = typeof raw === 'string' ? Number(raw) : (raw as number);
      if (!Number.isSafeInteger(version) || version < 0) {
        throw new RecordMappingError(
          'invalid_version',
          `version field ${options.versionField ?? 'version'} is not a non-negative integer`,
        );
      }
    }
    return { document, id, version };
  };
}

/**
 * The index template for window-result documents: daily indices `<base>-*` with strict mappings, joining alias
 * `<base>`. Defaults follow the seeds (refresh 30 s) and a single node (1 shard, 0 replicas).
 */
export function windowResultTemplate(
  options: { base?: string; shards?: number; replicas?: number; refreshInterval?: string } = {},
): IndexTemplateSpec {
  const base = options.base ?? 'clickstream-metrics';
  return {
    name: base,
    indexPatterns: [`${base}-*`],
    mappings: WINDOW_DOCUMENT_MAPPINGS,
    shards: options.shards ?? 1,
    replicas: options.replicas ?? 0,
    refreshInterval: options.refreshInterval ?? '30s',
    alias: base,
  };
}
