import { ClickstreamGenerator, createIngestGateway } from '@tributary/producer';
import { createKafkaClient } from '@tributary/kafka';
import { InvalidOptionError } from '../errors.js';
import type { RunResult } from '../report/results.js';
import { HTTP_LOAD_DEFAULTS, httpLoadFigures, runHttpLoad } from './http-load.js';
import { figuresRun, scenarioRunId, type ScenarioContext } from './scenario-run.js';

export interface GatewayWorkload {
  /** Requests per second over all connections (autocannon `overallRate`). */
  readonly requestsPerSec: number;
  /** Events in each JSON batch body. */
  readonly eventsPerRequest: number;
  readonly durationMs: number;
  readonly connections: number;
  readonly partitions: number;
}

/**
 * 200 req/s × 50 events = 10k events/s for 5 s, over 32 connections (each waits for its answer, which comes after
 * Kafka's acks=all, so a few dozen are needed to keep the rate).
 */
export const GATEWAY_WORKLOAD_DEFAULTS: GatewayWorkload = {
  requestsPerSec: 200,
  eventsPerRequest: 50,
  durationMs: 5_000,
  connections: 32,
  partitions: 4,
};

export function resolveGatewayWorkload(input: Partial<GatewayWorkload> = {}): GatewayWorkload {
  const w = { ...GATEWAY_WORKLOAD_DEFAULTS, ...input };
  for (const key of ['requestsPerSec', 'eventsPerRequest', 'connections', 'partitions'] as const) {
    if (!Number.isSafeInteger(w[key]) || w[key] < 1) {
      throw new InvalidOptionError(key, 'must be a positive integer', w[key]);
    }
  }
  if (!Number.isFinite(w.durationMs) || w.durationMs < 1000) {
    throw new InvalidOptionError('durationMs', 'must be at least 1000 ms', w.durationMs);
  }
  return w;
}

/** A JSON array of `count` generated clickstream events (camelCase fields, as the gateway accepts them). */
export function gatewayBatchBody(count: number, seed = 42): string {
  const generator = new ClickstreamGenerator({
    seed,
    duplicateRate: 0,
    malformedRate: 0,
    lateRate: 0,
    outOfOrderRate: 0,
  });
  return JSON.stringify(generator.take(count).map((r) => r.event));
}

/**
 * `gateway`: the producer's HTTP ingest gateway in this process (port 0 on 127.0.0.1, its own topic), driven by
 * autocannon at a fixed overall request rate with one JSON batch of events per request. Each 200 means Kafka
 * acknowledged every event of the batch. Reports requests/s, events/s, latency percentiles and status counts.
 */
export async function runGatewayOnce(
  ctx: ScenarioContext,
  workload: Partial<GatewayWorkload> = {},
): Promise<RunResult> {
  const w = resolveGatewayWorkload(workload);
  const id = scenarioRunId('gateway');
  const topic = `${id}-events`;
  const startedAt = new Date().toISOString();
  const kafka = createKafkaClient({ clientId: id, brokers: [...ctx.brokers], ...ctx.kafkaSecurity?.client });
  const admin = kafka.admin();
  await admin.connect();
  const gateway = createIngestGateway({
    brokers: [...ctx.brokers],
    ...ctx.kafkaSecurity?.options,
    topic,
    port: 0,
    host: '127.0.0.1',
    clientId: `${id}-gateway`,
  });
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: w.partitions, replicationFactor: 1 }],
    });
    const address = await gateway.listen();
    const readyBy = Date.now() + 30_000;
    while (!gateway.ready && Date.now() < readyBy) await new Promise((r) => setTimeout(r, 50));
    const url = `http://127.0.0.1:${address.port}/v1/events`;
    const body = gatewayBatchBody(w.eventsPerRequest);
    ctx.log(
      `gateway run ${ctx.run}: ${w.requestsPerSec} req/s × ${w.eventsPerRequest} events for ${w.durationMs} ms (${id}, ${url})`,
    );
    const summary = await runHttpLoad({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      ratePerSec: w.requestsPerSec,
      durationMs: w.durationMs,
      connections: w.connections,
      timeoutMs: HTTP_LOAD_DEFAULTS.timeoutMs,
    });
    ctx.log(
      `gateway run ${ctx.run}: ${summary.requests2xx} × 200 of ${summary.requestsTotal} requests, p99 ${summary.latencyMs.p99} ms`,
    );
    const figures = httpLoadFigures('gateway', summary, w.requestsPerSec, {
      unitName: 'events',
      unitsPerRequest: w.eventsPerRequest,
    });
    return figuresRun(ctx.run, startedAt, figures);
  } finally {
    await gateway.close().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
