import { redactUrl } from '@tributary/es-sink';
import type { DashboardOptions } from './dashboard-options.js';
import type { Search } from './elasticsearch-search.js';
import type { MetricsSource } from './metrics-source.js';
import { clicksVsViewsQuery, readClicksVsViews, readTopPages, topPagesQuery } from './queries.js';
import type { MinutePoint, TopPageRow } from './queries.js';
import { DashboardModel } from './view-model.js';
import type { DashboardView } from './view-model.js';

/** An error's text for the page, which every viewer sees: URL credentials never shown. */
const message = (error: unknown): string => redactUrl(error instanceof Error ? error.message : String(error));

/**
 * Feeds the pure DashboardModel from its two sources: `sample()` reads the metrics once (called on a timer),
 * `view()` runs the two Elasticsearch queries (shared by callers within `refreshMs / 2`) and builds the view.
 */
export class DashboardCollector {
  readonly #options: DashboardOptions;
  readonly #metrics: MetricsSource;
  readonly #search: Search;
  readonly #now: () => number;
  readonly #model: DashboardModel;
  #pending: Promise<DashboardView> | undefined;
  #cached: { at: number; view: DashboardView } | undefined;

  constructor(
    options: DashboardOptions,
    deps: { metrics: MetricsSource; search: Search; now: () => number },
  ) {
    this.#options = options;
    this.#metrics = deps.metrics;
    this.#search = deps.search;
    this.#now = deps.now;
    this.#model = new DashboardModel({
      title: options.title,
      rateWindowMs: options.rateWindowMs,
      latencyWindowMs: options.latencyWindowMs,
      historyPoints: 120,
      topPagesMinutes: options.topPagesMinutes,
      chartMinutes: options.chartMinutes,
      inputTopic: options.inputTopic,
      inputStage: options.inputStage,
      now: deps.now,
    });
  }

  /** Takes one metrics snapshot; a failure is shown on the page, never thrown. */
  async sample(): Promise<void> {
    try {
      this.#model.observeMetrics(await this.#metrics());
    } catch (error) {
      this.#model.metricsFailed(`metrics unavailable: ${message(error)}`);
    }
  }

  /** The current view; Elasticsearch failures are part of it, never thrown. */
  view(): Promise<DashboardView> {
    const cached = this.#cached;
    if (cached !== undefined && this.#now() - cached.at < this.#options.refreshMs / 2)
      return Promise.resolve(cached.view);
    this.#pending ??= this.#build().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  async #build(): Promise<DashboardView> {
    const o = this.#options;
    if (!o.elasticsearch) {
      const view = this.#model.view('off', 'off');
      this.#cached = { at: this.#now(), view };
      return view;
    }
    const [top, chart] = await Promise.all([
      this.#search(topPagesQuery(o.topPagesMinutes, o.topPagesSize)).then(
        (r): { rows: TopPageRow[] } => ({ rows: readTopPages(r) }),
        (e: unknown) => ({ error: `Elasticsearch: ${message(e)}` }),
      ),
      this.#search(clicksVsViewsQuery(o.chartMinutes)).then(
        (r): { points: MinutePoint[] } => ({ points: readClicksVsViews(r) }),
        (e: unknown) => ({ error: `Elasticsearch: ${message(e)}` }),
      ),
    ]);
    const view = this.#model.view(top, chart);
    this.#cached = { at: this.#now(), view };
    return view;
  }
}
