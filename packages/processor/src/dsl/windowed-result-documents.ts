import { RecordMappingError, jsonObjectValue, type RecordMapper } from '@tributary/es-sink';
import { windowDocumentId } from '@tributary/schema';

/** The field of a default-encoded result that a date pattern in the index name reads (the window's start). */
export const WINDOWED_RESULT_DATE_FIELD = 'windowStart';

/**
 * The Elasticsearch documents of results written with the default encoder (`jsonResultEncoder`): the result's JSON
 * `{ key, windowStart, windowEnd, result, isFinal, version }` as it is, id = `windowDocumentId(key, windowStart)` (one
 * document per key and window, the same after any replay), external version = `version` (a later emission of the
 * window replaces an earlier one, never the reverse). A record that is not such a result is a mapping error: the
 * connector dead-letters it.
 */
export function windowedResultMapper(): RecordMapper {
  return (record) => {
    const document = jsonObjectValue(record);
    const { key, windowStart, version } = document;
    if (typeof key !== 'string' || !Number.isSafeInteger(windowStart))
      throw new RecordMappingError(
        'missing_id',
        'not a windowed result: key (a string) and windowStart (an integer) are required',
      );
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)
      throw new RecordMappingError('invalid_version', 'version is not a non-negative integer');
    return { document, id: windowDocumentId(key, windowStart as number), version };
  };
}
