/** One export `bench run` needs from a pipeline package. */
export interface PipelineRequirement {
  readonly packageName: string;
  /** Any of these export names satisfies the requirement (the first is the agreed contract). */
  readonly exportNames: readonly string[];
  readonly purpose: string;
}

/** What `bench run` (scenario `table`) builds on. */
export const PIPELINE_REQUIREMENTS: readonly PipelineRequirement[] = [
  {
    packageName: '@tributary/devstack',
    exportNames: ['startDevstack'],
    purpose: 'start or reuse Kafka and Elasticsearch; startup times, versions and JVM pids',
  },
  {
    packageName: '@tributary/producer',
    exportNames: ['ClickstreamLoadGenerator'],
    purpose:
      'open-loop clickstream load with ack latency from intended send time and a ground-truth manifest',
  },
  {
    packageName: '@tributary/processor',
    exportNames: ['createClickstreamApp'],
    purpose:
      'the reference clickstream job (tumbling windows of clicks and views per page, results to Elasticsearch)',
  },
  {
    packageName: '@tributary/es-sink',
    exportNames: ['createKafkaEsConnector'],
    purpose: 'window results from Kafka into Elasticsearch with acknowledged offsets',
  },
];

export interface MissingRequirement extends PipelineRequirement {
  readonly reason: string;
}

export type ModuleImporter = (packageName: string) => Promise<Record<string, unknown>>;

const defaultImporter: ModuleImporter = (name) => import(name) as Promise<Record<string, unknown>>;

/** Lists the requirements the installed pipeline packages do not meet (empty: everything `run` needs exists). */
export async function probePipeline(
  importer: ModuleImporter = defaultImporter,
  requirements: readonly PipelineRequirement[] = PIPELINE_REQUIREMENTS,
): Promise<MissingRequirement[]> {
  const missing: MissingRequirement[] = [];
  for (const requirement of requirements) {
    let module: Record<string, unknown>;
    try {
      module = await importer(requirement.packageName);
    } catch (error) {
      missing.push({
        ...requirement,
        reason: `cannot be imported (${(error as Error).message.split('\n')[0]}); build it with npx nx run-many -t build`,
      });
      continue;
    }
    if (!requirement.exportNames.some((name) => module[name] !== undefined)) {
      missing.push({ ...requirement, reason: `does not export ${requirement.exportNames.join(' or ')}` });
    }
  }
  return missing;
}
