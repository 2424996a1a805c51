import type { TestProject } from 'vitest/node';
import './provided-context.js';

/** Temporary: expects a stack on the default ports. Replaced by the devstack package's own start/reuse. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('kafkaBrokers', ['127.0.0.1:9092']);
  project.provide('elasticsearchUrl', 'http://127.0.0.1:9200');
}
