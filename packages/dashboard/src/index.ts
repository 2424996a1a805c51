// The live dashboard of a clickstream job: Elasticsearch queries, Prometheus text parsing, view model, HTTP server
export { topPagesQuery, clicksVsViewsQuery, readTopPages, readClicksVsViews } from './queries.js';
export type { SearchBody, TopPageRow, MinutePoint } from './queries.js';
export { parsePrometheusText } from './prometheus-text.js';
export type { MetricFamily, MetricSample } from './prometheus-text.js';
export { histogramQuantile } from './metric-figures.js';
export type { HistogramBuckets } from './metric-figures.js';
export { DashboardModel } from './view-model.js';
export type { DashboardView, PipelineFigures, DashboardModelOptions } from './view-model.js';
export { DASHBOARD_OPTION_SPECS, DASHBOARD_OPTIONS, resolveDashboardOptions } from './dashboard-options.js';
export type { DashboardOptions, DashboardOptionsInput } from './dashboard-options.js';
export { registryMetricsSource, scrapeMetricsSource } from './metrics-source.js';
export type { MetricsSource } from './metrics-source.js';
export { elasticsearchSearch } from './elasticsearch-search.js';
export type { Search } from './elasticsearch-search.js';
export { startDashboardServer } from './dashboard-server.js';
export type { DashboardServer, DashboardServerDependencies } from './dashboard-server.js';
export { DASHBOARD_COMMAND, parseDashboardCli } from './dashboard-cli.js';
export type { ParsedDashboardCli } from './dashboard-cli.js';
export { DASHBOARD_PROGRAM, runDashboardCommand } from './dashboard-command.js';
export type { DashboardProgram } from './dashboard-command.js';
export { DASHBOARD_ERROR_CODES, DashboardError, isDashboardError } from './errors.js';
export type { DashboardErrorCode } from './errors.js';

export const VERSION = '0.1.0';
