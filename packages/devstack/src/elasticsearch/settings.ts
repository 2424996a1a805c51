export interface ElasticsearchSettingsInput {
  port: number;
  transportPort: number;
  dataDir: string;
  logsDir: string;
  writeQueueSize: number | undefined;
  writeThreadPoolSize: number | undefined;
  /** Entries that override the generated ones. */
  extra?: Readonly<Record<string, string>>;
}

/**
 * Settings of a single-node development Elasticsearch on loopback: no security, no disk watermarks (a full laptop
 * disk must not turn indices read-only), no ML, and the optional tiny write queue that makes
 * real 429s.
 */
export function elasticsearchSettings(input: ElasticsearchSettingsInput): Record<string, string> {
  const settings: Record<string, string> = {
    'cluster.name': 'tributary-devstack',
    'node.name': 'devstack',
    'path.data': input.dataDir,
    'path.logs': input.logsDir,
    'http.port': String(input.port),
    'transport.port': String(input.transportPort),
    'network.host': '127.0.0.1',
    'discovery.type': 'single-node',
    'xpack.security.enabled': 'false',
    'xpack.ml.enabled': 'false',
    'cluster.routing.allocation.disk.threshold_enabled': 'false',
    'action.destructive_requires_name': 'false',
  };
  if (input.writeQueueSize !== undefined)
    settings['thread_pool.write.queue_size'] = String(input.writeQueueSize);
  if (input.writeThreadPoolSize !== undefined)
    settings['thread_pool.write.size'] = String(input.writeThreadPoolSize);
  return { ...settings, ...input.extra };
}

/** The settings as `bin/elasticsearch` arguments: `-E key=value` pairs. */
export function settingsToArgs(settings: Readonly<Record<string, string>>): string[] {
  return Object.entries(settings).flatMap(([key, value]) => ['-E', `${key}=${value}`]);
}
