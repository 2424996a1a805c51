import { describe, expect, it } from 'vitest';
import {
  clickstreamCodec,
  count,
  streamJob,
  tumbling,
  type StreamJobSettings,
  type StreamPlan,
} from '../../src/index.js';

const settings: StreamJobSettings = { applicationId: 'page-counts', brokers: ['127.0.0.1:9092'] };

/** The guide's example (docs/writing-a-job.md, "Send the results to Elasticsearch"). */
function pageCountsIndexed(apiKey: string): StreamPlan {
  return streamJob(settings)
    .source('clickstream-events', clickstreamCodec(), { partitionedBy: 'userId' })
    .keyBy('pageUrl')
    .window(tumbling({ size: '1m' }))
    .aggregate(count())
    .to('page-counts')
    .toElasticsearch({
      node: 'https://es-1:9200',
      auth: { apiKey },
      index: 'page-counts-{yyyy.MM.dd}',
      template: { name: 'page-counts', indexPatterns: ['page-counts-*'], alias: 'page-counts', replicas: 0 },
    });
}

describe('the Elasticsearch sink of the guide', () => {
  it('indexes the results topic, one document per page and window, and never prints the API key', () => {
    const plan = pageCountsIndexed('a-secret-api-key');
    expect(plan.explain()).toMatch(
      /; results to Elasticsearch https:\/\/es-1:9200 index page-counts-\{yyyy\.MM\.dd\} \(window results as JSON, id of key and windowStart, external version; group page-counts-elasticsearch, dead letters to page-counts-index-dlq\)$/,
    );
    expect(plan.explain()).not.toContain('a-secret-api-key');
    expect(plan.toStreamJobOptions().services?.map((s) => s.name)).toEqual(['elasticsearch']);
  });
});
