import {
  connectorLoggerFor,
  createKafkaEsConnector,
  elasticsearchClientOptions,
  elasticsearchConnectionValues,
} from '@tributary/es-sink';
import { KAFKA_SECURITY_OPTION_SPECS, type KafkaSecurity } from '@tributary/kafka';
import type { EmbeddedConnector, KafkaEsConnector } from '@tributary/es-sink';
import { registryMetricsSource, resolveDashboardOptions, startDashboardServer } from '@tributary/dashboard';
import type { DashboardOptions, DashboardServer } from '@tributary/dashboard';
import { startMetricsServer } from '@tributary/observability';
import type { HealthState, Logger, MetricsServer } from '@tributary/observability';
import { WINDOW_DOCUMENT_FIELDS, WINDOW_DOCUMENT_MAPPINGS } from '@tributary/schema';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { ProcessorConfig } from '../config/processor-config.js';
import { invalidOption } from '../errors.js';
import type { PageInfo, UserInfo } from '../enrichment/clickstream-enrichment.js';
import type { EnrichmentTable } from '../enrichment/enrichment-table.js';
import { INDEX_DEAD_LETTER_OUTPUT, clickstreamJob, clickstreamTables } from './clickstream-job.js';
import { combineHealth } from '../observability/combined-health.js';
import { DirectResultsIndex } from './direct-results-index.js';
import { enrichedEventsConnector } from './enriched-events-index.js';
import type { StreamJob } from '../runtime/stream-job.js';

export interface ClickstreamAppDependencies {
  readonly registry?: Registry;
  readonly now?: () => number;
  readonly onError?: (error: Error) => void;
  /** pino logger for the job's runtime events (see `createLogger` of @tributary/observability). */
  readonly logger?: Logger;
  /**
   * Dashboard options over those the config implies (port, Elasticsearch connection and alias, input topic and stage);
   * giving them serves the dashboard even without `config.dashboard`. Without `registry` the app creates one.
   */
  readonly dashboard?: Partial<DashboardOptions>;
  /**
   * kafkajs' `ssl` and `sasl` for every Kafka client of the app: `await kafkaSecurity(config)` (@tributary/kafka),
   * which reads the files of the config's `--kafka-*` options. Required when the config sets any of them.
   */
  readonly kafkaSecurity?: KafkaSecurity | undefined;
}

export interface ClickstreamApp {
  readonly config: ProcessorConfig;
  readonly job: StreamJob;
  /** The embedded Elasticsearch connector (undefined with `elasticsearch: false`). */
  readonly connector: KafkaEsConnector | undefined;
  /** The connector indexing enriched events (with `enrichedEvents` and `elasticsearch`), on a thread of its own. */
  readonly eventsConnector: EmbeddedConnector | undefined;
  /** The reference-data tables (with `enrichedEvents`). */
  readonly tables:
    { readonly pages: EnrichmentTable<PageInfo>; readonly users: EnrichmentTable<UserInfo> } | undefined;
  /** The live dashboard, once started (with the `dashboard` dependency). */
  readonly dashboard: DashboardServer | undefined;
  /** Base URL of the app's `/metrics` + `/health` server (with `metricsPort` ≥ 0), once started. */
  readonly metricsUrl: string | undefined;
  /** live = every component is live; ready = the job and each Elasticsearch connector are ready (details by name). */
  health(): HealthState;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The reference app: the job of `clickstreamJob(config)` with its Elasticsearch connectors, metrics server and
 * dashboard. The job: ClickstreamEvent (key user_id) → per input partition the event-time contract (dead-letter,
 * late, dedup) and partial counts per (page_url, 1-minute window) → repartition by page_url → merge (min watermark
 * over the upstream partitions) → WindowResult (key page_url) exactly-once to the results topic → Elasticsearch.
 * With `sessions`, a third stage (group `${applicationId}-sessions`) writes session summaries per user.
 * With `enrichedEvents`, stage 1 also writes every accepted event joined with the pages and users tables (loaded
 * from their compacted topics) to `enrichedTopic`, in the same transaction, and a second connector indexes them.
 */
export function createClickstreamApp(
  config: ProcessorConfig,
  deps: ClickstreamAppDependencies = {},
): ClickstreamApp {
  const dashboardOptions =
    !config.dashboard && deps.dashboard === undefined
      ? undefined
      : resolveDashboardOptions({
          port: config.dashboardPort,
          ...elasticsearchConnectionValues(config),
          index: config.indexPrefix,
          inputTopic: config.inputTopic,
          // With --sessions the session stage reads the input topic too: count stage 1 only.
          inputStage: config.applicationId,
          elasticsearch: config.elasticsearch,
          ...deps.dashboard,
        });
  const serveMetrics = config.metricsPort >= 0;
  let registry = deps.registry;
  if (registry === undefined && (serveMetrics || dashboardOptions !== undefined)) {
    registry = new Registry();
    if (serveMetrics) collectDefaultMetrics({ register: registry });
  }
  let metricsServer: MetricsServer | undefined;
  let dashboard: DashboardServer | undefined;
  // Where window results are indexed: one daily index per window start behind the alias, the schema's mapping
  // (built only with elasticsearch on: the connection's files are read then).
  const resultsIndex = () => ({
    ...elasticsearchClientOptions(config),
    index: `${config.indexPrefix}-{yyyy.MM.dd}`,
    indexDateField: WINDOW_DOCUMENT_FIELDS.windowStart,
    template: {
      name: config.indexPrefix,
      indexPatterns: [`${config.indexPrefix}-*`],
      mappings: WINDOW_DOCUMENT_MAPPINGS,
      alias: config.indexPrefix,
      replicas: 0,
    },
    // Today's and tomorrow's index exist before their first result: no result waits while Elasticsearch creates one.
    createIndicesAhead: true,
  });
  // Low-latency mode: the merge stage indexes its results itself (at-least-once), no connector on the results topic.
  const direct =
    config.lowLatency && config.elasticsearch
      ? new DirectResultsIndex(
          { ...resultsIndex(), ...(registry === undefined ? {} : { registry }) },
          INDEX_DEAD_LETTER_OUTPUT,
        )
      : undefined;
  const kafka = deps.kafkaSecurity ?? noKafkaSecurity(config);
  const tableRefs = config.enrichedEvents ? clickstreamTables(config) : undefined;
  const tables =
    tableRefs === undefined ? undefined : { pages: tableRefs.pages.table, users: tableRefs.users.table };
  const job = clickstreamJob(config, {
    ...kafka,
    ...(tableRefs === undefined ? {} : { tables: tableRefs }),
    ...(direct === undefined ? {} : { directResults: direct }),
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    ...(registry === undefined ? {} : { registry }),
    ...(deps.now === undefined ? {} : { now: deps.now }),
    ...(deps.onError === undefined ? {} : { onError: deps.onError }),
  }).createJob();
  const connector =
    config.elasticsearch && direct === undefined
      ? createKafkaEsConnector({
          brokers: [...config.brokers],
          ...kafka,
          topic: config.resultsTopic,
          groupId: `${config.applicationId}-elasticsearch`,
          sessionTimeoutMs: config.sessionTimeoutMs,
          format: 'window-result',
          // Results Elasticsearch refuses for good land here with the reason (never acknowledged before).
          deadLetterTopic: config.indexDeadLetterTopic,
          deadLetterReplicationFactor: config.replicationFactor,
          // The connector's metrics (bulk latency, documents by outcome, …) on the job's /metrics.
          ...(job.registry === undefined ? {} : { registry: job.registry }),
          ...(deps.logger === undefined
            ? {}
            : { logger: connectorLoggerFor(deps.logger.child({ component: 'es-sink' })) }),
          sink: resultsIndex(),
        })
      : undefined;
  const eventsConnector =
    config.elasticsearch && config.enrichedEvents ? enrichedEventsConnector(config, kafka) : undefined;
  // A connector that fails (its consumer crashed for good, or the dead-letter topic refused a record) fails the app
  // like a job failure does: its records are not acknowledged, so they are indexed after a restart.
  const watchConnector = (c: EmbeddedConnector | undefined): void => {
    if (c !== undefined && deps.onError !== undefined) void c.failure.then(deps.onError);
  };
  const health = (): HealthState =>
    combineHealth({
      job: job.health(),
      elasticsearch: connector?.health(),
      enrichedEvents: eventsConnector?.health(),
    });
  return {
    config,
    job,
    connector,
    eventsConnector,
    tables,
    get metricsUrl() {
      return metricsServer?.url;
    },
    health,
    get dashboard() {
      return dashboard;
    },
    async start() {
      if (serveMetrics && registry !== undefined) {
        // Up before the job joins its groups: /health/live answers during startup and restores.
        metricsServer = await startMetricsServer({
          registry,
          port: config.metricsPort,
          host: config.metricsHost,
          health,
        });
        deps.logger?.info({ url: metricsServer.url }, 'metrics server listening');
      }
      try {
        // The index template is in place before the merge stage writes its first result.
        await direct?.sink.ready();
        await job.start();
      } catch (error) {
        await metricsServer?.close();
        throw error;
      }
      // The connectors read read_committed, so they only ever index committed results and events.
      if (connector !== undefined) await connector.start();
      if (eventsConnector !== undefined) await eventsConnector.start();
      watchConnector(connector);
      watchConnector(eventsConnector);
      if (dashboardOptions !== undefined && registry !== undefined) {
        dashboard = await startDashboardServer(dashboardOptions, {
          metrics: registryMetricsSource(registry),
          ...(deps.now === undefined ? {} : { now: deps.now }),
        });
      }
    },
    async stop() {
      await dashboard?.close();
      await job.stop();
      await direct?.close();
      if (connector !== undefined) await connector.stop();
      if (eventsConnector !== undefined) await eventsConnector.stop();
      await metricsServer?.close();
    },
  };
}

/** Without `deps.kafkaSecurity`, a config that asks for TLS or SASL fails rather than connecting in plaintext. */
function noKafkaSecurity(config: ProcessorConfig): Partial<KafkaSecurity> {
  const keys = Object.keys(KAFKA_SECURITY_OPTION_SPECS) as (keyof typeof KAFKA_SECURITY_OPTION_SPECS)[];
  const asked = keys.find((key) => config[key] !== undefined && config[key] !== false);
  if (asked !== undefined)
    throw invalidOption(
      asked,
      'needs deps.kafkaSecurity: pass await kafkaSecurity(config) to createClickstreamApp',
    );
  return {};
}
