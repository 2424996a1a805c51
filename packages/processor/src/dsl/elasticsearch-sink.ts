import {
  CONNECTOR_SETTING_SPECS,
  SINK_ERROR_CODES,
  checkKafkaEsConnectorOptions,
  connectorLoggerFor,
  createKafkaEsConnector,
  isSinkError,
  redactUrl,
  type KafkaEsConnectorOptions,
} from '@tributary/es-sink';
import { WINDOW_DOCUMENT_FIELDS } from '@tributary/schema';
import { invalidOption } from '../errors.js';
import type { JobServiceSpec } from '../runtime/job-services.js';
import type { StreamJobSettings } from './logical-plan.js';
import { defined } from './task-factories.js';
import { WINDOWED_RESULT_DATE_FIELD, windowedResultMapper } from './windowed-result-documents.js';

/** The connector's settings `toElasticsearch` passes through (the job sets brokers, security, topic and registry). */
/** The connector's own settings a sink may pass (its topic is the job's results topic, set below). */
type ConnectorSetting =
  Exclude<keyof typeof CONNECTOR_SETTING_SPECS, 'topic'> | 'groupId' | 'fromBeginning' | 'mapper' | 'logger';
const CONNECTOR_SETTINGS: ReadonlySet<string> = new Set<ConnectorSetting>([
  ...(Object.keys(CONNECTOR_SETTING_SPECS) as (keyof typeof CONNECTOR_SETTING_SPECS)[]).filter(
    (key): key is Exclude<keyof typeof CONNECTOR_SETTING_SPECS, 'topic'> => key !== 'topic',
  ),
  'groupId',
  'fromBeginning',
  'mapper',
  'logger',
]);

/** What the job sets itself: given to `toElasticsearch`, they fail. */
const SET_BY_THE_JOB = ['brokers', 'ssl', 'sasl', 'topic', 'registry', 'sink'] as const;

/**
 * Where and how `StreamPlan.toElasticsearch` indexes a job's results: the options of @tributary/es-sink's `BulkSink`
 * as its connector takes them (`node` or `client`, `auth`, `tls`, `caFingerprint`, `index`, `indexDateField`,
 * `template`, batching and retries), and the connector's settings (`groupId`, `deadLetterTopic`, the document format,
 * flow control, …). See the es-sink README for each one.
 */
export type ElasticsearchSinkOptions = Omit<KafkaEsConnectorOptions['sink'], 'registry'> &
  Partial<Pick<KafkaEsConnectorOptions, ConnectorSetting>>;

/** What the sink needs of the job it belongs to. */
export interface ElasticsearchSinkContext {
  readonly settings: StreamJobSettings;
  /** The topic of the job's results (what the connector consumes). */
  readonly resultsTopic: string;
  /** `'windowed'`: window results of the default encoder; `'encoded'`: a custom encoder's; `'join'`: a join's. */
  readonly results: 'windowed' | 'encoded' | 'join';
}

/** How records become documents, and the field a date pattern reads by default. */
interface Documents {
  readonly connector: Partial<KafkaEsConnectorOptions>;
  readonly dateField: string | undefined;
  readonly describe: string;
}

/** The service name of the sink: its key in the job's health and `job.service(…)`. */
export const ELASTICSEARCH_SERVICE = 'elasticsearch';

/**
 * A job's Elasticsearch sink, planned and validated at build time: a @tributary/es-sink connector on the job's
 * results topic, run by the job as its service `elasticsearch` (created with the job, started once its stages run,
 * stopped after them, failing it when it fails; health and metrics the job's).
 */
export class ElasticsearchSink {
  readonly groupId: string;
  readonly deadLetterTopic: string | false;
  readonly #connector: KafkaEsConnectorOptions;
  readonly #description: string;

  /** Validates `options` (a bad one throws `TRIB_PROC_INVALID_OPTION` naming `toElasticsearch.<option>`). */
  constructor(options: ElasticsearchSinkOptions, context: ElasticsearchSinkContext) {
    if (typeof options !== 'object' || options === null || Array.isArray(options))
      throw invalidOption('toElasticsearch', 'must be an object: { node, index, … }');
    for (const key of SET_BY_THE_JOB)
      if ((options as Record<string, unknown>)[key] !== undefined)
        throw invalidOption(
          `toElasticsearch.${key}`,
          `is set by the job (brokers, ssl and sasl of its settings, its results topic, its registry): remove it`,
        );
    const { settings } = context;
    const connectorSettings: Record<string, unknown> = {};
    const sink: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options))
      if (value !== undefined) (CONNECTOR_SETTINGS.has(key) ? connectorSettings : sink)[key] = value;
    const documents = documentsOf(options, context);
    const appId = settings.applicationId;
    this.groupId = options.groupId ?? `${appId}-elasticsearch`;
    this.deadLetterTopic = options.deadLetterTopic ?? `${appId}-index-dlq`;
    const logger =
      options.logger ??
      (settings.logger === undefined
        ? undefined
        : connectorLoggerFor(settings.logger.child({ component: 'es-sink' })));
    const indexDateField = options.indexDateField ?? documents.dateField;
    this.#connector = {
      ...connectorSettings,
      ...documents.connector,
      brokers: [...settings.brokers],
      ...(settings.ssl === undefined ? {} : { ssl: settings.ssl }),
      ...(settings.sasl === undefined ? {} : { sasl: settings.sasl }),
      topic: context.resultsTopic,
      groupId: this.groupId,
      deadLetterTopic: this.deadLetterTopic,
      ...defined({
        sessionTimeoutMs: options.sessionTimeoutMs ?? settings.sessionTimeoutMs,
        deadLetterReplicationFactor: options.deadLetterReplicationFactor ?? settings.replicationFactor,
        logger,
      }),
      sink: {
        ...(sink as KafkaEsConnectorOptions['sink']),
        ...(indexDateField === undefined ? {} : { indexDateField }),
      },
    };
    checkConnector(this.#connector);
    const nodes =
      options.client !== undefined ? 'the given client' : redactUrl([options.node ?? []].flat().join(','));
    const index = typeof options.index === 'string' ? options.index : 'a function of the document';
    const deadLetters = this.deadLetterTopic === false ? 'none' : this.deadLetterTopic;
    this.#description =
      `Elasticsearch ${nodes} index ${index} (${documents.describe}; group ${this.groupId}, ` +
      `dead letters to ${deadLetters})`;
  }

  /** One line for `explain()`: nodes (credentials in URLs redacted, never the auth), index, documents, group. */
  describe(): string {
    return this.#description;
  }

  /** Checks the sink against the job's topology: its group and dead-letter topic must not be the job's own. */
  checkAgainst(job: { readonly groups: readonly string[]; readonly readTopics: readonly string[] }): void {
    if (job.groups.includes(this.groupId))
      throw invalidOption(
        'toElasticsearch.groupId',
        `is the consumer group of a stage of the job (${this.groupId}): choose another`,
      );
    if (this.deadLetterTopic !== false && job.readTopics.includes(this.deadLetterTopic))
      throw invalidOption(
        'toElasticsearch.deadLetterTopic',
        `is a topic the job reads (${this.deadLetterTopic}): choose another`,
      );
  }

  /** The job's service running the connector; its metrics go to the job's registry. */
  service(): JobServiceSpec {
    const connector = this.#connector;
    return {
      name: ELASTICSEARCH_SERVICE,
      create: ({ registry }) =>
        createKafkaEsConnector({ ...connector, ...(registry === undefined ? {} : { registry }) }),
    };
  }
}

/**
 * The documents of each kind of result: default-encoded window results by `windowedResultMapper`, `format:
 * 'window-result'` (results encoded as @tributary/schema's WindowResult) by the connector's, JSON results by the id
 * (and version) fields the user names; a custom `mapper` as it is.
 */
function documentsOf(options: ElasticsearchSinkOptions, context: ElasticsearchSinkContext): Documents {
  if (options.mapper !== undefined) return { connector: {}, dateField: undefined, describe: 'custom mapper' };
  if (options.format === 'window-result')
    return {
      connector: {},
      dateField: WINDOW_DOCUMENT_FIELDS.windowStart,
      describe: 'WindowResult documents, id of page_url and window_start, external version',
    };
  const json =
    options.format === 'json' ||
    options.idField !== undefined ||
    options.versionField !== undefined ||
    options.versionFrom !== undefined;
  if (!json && context.results === 'windowed')
    return {
      connector: { mapper: windowedResultMapper() },
      dateField: WINDOWED_RESULT_DATE_FIELD,
      describe: 'window results as JSON, id of key and windowStart, external version',
    };
  if (options.idField === undefined)
    throw invalidOption(
      'toElasticsearch.idField',
      `is required: ${
        json
          ? 'JSON documents need the field that identifies each'
          : context.results === 'join'
            ? "a join's results are JSON documents of your joiner"
            : 'the results have a custom encoder'
      } — name the field of the JSON document that identifies it (and versionField for its version), or give ` +
        "format: 'window-result' for results encoded as @tributary/schema WindowResult, or a mapper",
    );
  const versionFrom = options.versionFrom ?? (options.versionField === undefined ? 'offset' : 'field');
  return {
    connector: { format: 'json', versionFrom },
    dateField: undefined,
    describe: `JSON documents, id ${options.idField}, version ${
      versionFrom === 'field' ? (options.versionField ?? 'version') : versionFrom
    }`,
  };
}

/** The connector's own checks, at build time; a bad option is named `toElasticsearch.<option>`. */
function checkConnector(options: KafkaEsConnectorOptions): void {
  try {
    checkKafkaEsConnectorOptions(options);
  } catch (error) {
    if (!isSinkError(error, SINK_ERROR_CODES.INVALID_OPTION) || error.option === undefined) throw error;
    const { option, message } = error;
    throw invalidOption(
      `toElasticsearch.${option}`,
      message.startsWith(`${option} `) ? message.slice(option.length + 1) : message,
    );
  }
}
