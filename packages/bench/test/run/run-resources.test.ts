import type { Client } from '@elastic/elasticsearch';
import type { Admin } from '@tributary/kafka';
import { describe, expect, it, vi } from 'vitest';
import { deleteRunResources, runTopics } from '../../src/run/run-resources.js';

describe('runTopics', () => {
  it('names every topic after the run id', () => {
    expect(runTopics('bench-x')).toEqual({
      input: 'bench-x-events',
      results: 'bench-x-results',
      late: 'bench-x-late',
      dlq: 'bench-x-dlq',
      repartition: 'bench-x-repartition',
      enriched: 'bench-x-enriched',
      pages: 'bench-x-pages',
      users: 'bench-x-users',
    });
  });
});

describe('deleteRunResources', () => {
  function fakes(fail: boolean): { admin: Admin; es: Client; calls: string[] } {
    const calls: string[] = [];
    const step = (name: string, value?: unknown) =>
      vi.fn(async (arg?: unknown) => {
        calls.push(arg === undefined ? name : `${name} ${JSON.stringify(arg)}`);
        if (fail) throw new Error(`${name} failed`);
        return value;
      });
    const admin = {
      listTopics: step('listTopics', ['bench-x-events', 'other-topic', 'bench-x-results']),
      deleteTopics: step('deleteTopics'),
      disconnect: step('disconnect'),
    } as unknown as Admin;
    const es = {
      indices: {
        get: step('indices.get', { 'bench-x-windows': {} }),
        delete: step('indices.delete'),
        deleteIndexTemplate: step('deleteIndexTemplate'),
      },
      close: step('close'),
    } as unknown as Client;
    return { admin, es, calls };
  }

  it("deletes the run's topics, indices and template by name, then closes both clients", async () => {
    const { admin, es, calls } = fakes(false);
    await deleteRunResources(admin, es, 'bench-x');
    expect(calls).toEqual([
      'listTopics',
      'deleteTopics {"topics":["bench-x-events","bench-x-results"]}',
      'disconnect',
      'indices.get {"index":["bench-x-*","raw-bench-x-*"],"ignore_unavailable":true,"allow_no_indices":true}',
      'indices.delete {"index":["bench-x-windows"]}',
      'deleteIndexTemplate {"name":"bench-x"}',
      'deleteIndexTemplate {"name":"raw-bench-x"}',
      'close',
    ]);
  });

  it('never throws, and still closes both clients when every call fails', async () => {
    const { admin, es, calls } = fakes(true);
    await expect(deleteRunResources(admin, es, 'bench-x')).resolves.toBeUndefined();
    expect(calls).toEqual([
      'listTopics',
      'disconnect',
      'indices.get {"index":["bench-x-*","raw-bench-x-*"],"ignore_unavailable":true,"allow_no_indices":true}',
      'deleteIndexTemplate {"name":"bench-x"}',
      'deleteIndexTemplate {"name":"raw-bench-x"}',
      'close',
    ]);
  });
});
