import { describe, expect, it } from 'vitest';
import { templateBody, validateTemplateSpec } from '../../src/index-management/index-template.js';

describe('templateBody', () => {
  it('puts settings, mappings and the alias into a composable template', () => {
    expect(
      templateBody({
        name: 'clickstream-metrics',
        indexPatterns: ['clickstream-metrics-*'],
        mappings: { properties: { page_url: { type: 'keyword' } } },
        refreshInterval: '30s',
        shards: 1,
        replicas: 0,
        alias: 'clickstream-metrics',
      }),
    ).toEqual({
      index_patterns: ['clickstream-metrics-*'],
      priority: 200,
      _meta: { managed_by: '@tributary/es-sink' },
      template: {
        settings: { index: { refresh_interval: '30s', number_of_shards: 1, number_of_replicas: 0 } },
        mappings: { properties: { page_url: { type: 'keyword' } } },
        aliases: { 'clickstream-metrics': {} },
      },
    });
  });

  it('marks data-stream templates', () => {
    expect(templateBody({ name: 'logs-x', indexPatterns: ['logs-x*'], dataStream: true })).toMatchObject({
      data_stream: {},
    });
  });
});

describe('validateTemplateSpec', () => {
  it('names the faulty field', () => {
    expect(() => validateTemplateSpec({ name: '', indexPatterns: ['x'] })).toThrow(/^template.name/);
    expect(() => validateTemplateSpec({ name: 'x', indexPatterns: [] })).toThrow(/^template.indexPatterns/);
    expect(() => validateTemplateSpec({ name: 'x', indexPatterns: ['x'], shards: 0 })).toThrow(
      /^template.shards/,
    );
    expect(() =>
      validateTemplateSpec({ name: 'x', indexPatterns: ['x'], dataStream: true, alias: 'a' }),
    ).toThrow(/^template.alias/);
  });
});
