import { describe, expect, it } from 'vitest';
import { ConnectorThread } from '../../src/connector/connector-thread.js';

// The thread runs the built worker (dist/connector/connector-worker.js): `npm test` builds first.
const FIXTURE = new URL('../fixtures/scripted-connector.mjs', import.meta.url);

function scripted(script: Record<string, unknown>): ConnectorThread {
  return new ConnectorThread(
    { module: FIXTURE, exportName: 'scriptedConnector', args: [script] },
    'scripted-dlq',
  );
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ConnectorThread', () => {
  it('runs nothing until start(); then reports the connector built in its thread, and stops it', async () => {
    const thread = scripted({ consumed: 42 });
    expect(thread.deadLetterTopic).toBe('scripted-dlq');
    expect(thread.health()).toMatchObject({ live: true, ready: false });
    expect(thread.stats.consumed).toBe(0);
    await thread.start();
    // The arguments crossed to the thread; its state is reported back.
    expect(thread.stats.consumed).toBe(42);
    expect(thread.health()).toMatchObject({ live: true, ready: true, details: { assignedPartitions: [0] } });
    await thread.stop();
    // The last report comes after the connector's own stop().
    expect(thread.stats.commits).toBe(1);
    await thread.stop(); // idempotent
  });

  it("rejects start() with the connector's own start error, code and message", async () => {
    const thread = scripted({
      startError: { code: 'TRIB_SINK_TEMPLATE_FAILED', message: 'index template refused: 403', status: 403 },
    });
    await expect(thread.start()).rejects.toMatchObject({
      name: 'SinkError',
      code: 'TRIB_SINK_TEMPLATE_FAILED',
      message: 'index template refused: 403',
      status: 403,
    });
  });

  it("resolves failure with the connector's failure and reports it in health", async () => {
    const thread = scripted({
      failAfterMs: 20,
      failure: {
        code: 'TRIB_SINK_DEAD_LETTER_FAILED',
        message: 'dead-letter topic refused a record',
        retriable: false,
      },
    });
    await thread.start();
    await expect(thread.failure).resolves.toMatchObject({
      code: 'TRIB_SINK_DEAD_LETTER_FAILED',
      message: 'dead-letter topic refused a record',
    });
    expect(thread.health()).toMatchObject({
      live: false,
      ready: false,
      details: { failure: 'dead-letter topic refused a record' },
    });
    await thread.stop();
  });

  it('resolves failure when the thread dies, and stop() still returns', async () => {
    const thread = scripted({ exitAfterMs: 20 });
    await thread.start();
    await expect(thread.failure).resolves.toMatchObject({
      code: 'TRIB_SINK_KAFKA_FAILED',
      message: 'connector thread exited with code 3',
    });
    await until(() => !thread.health().live);
    await thread.stop();
  });

  it('stop() before start() does nothing; a second start() is refused', async () => {
    const idle = scripted({});
    await expect(idle.stop()).resolves.toBeUndefined();
    // …and does not keep a later start from being stopped.
    await idle.start();
    await idle.stop();
    expect(idle.stats.commits).toBe(1);
    const thread = scripted({});
    await thread.start();
    await expect(thread.start()).rejects.toMatchObject({ code: 'TRIB_SINK_CLOSED' });
    await thread.stop();
  });

  it('a stop asked for during start stops the connector once it has started', async () => {
    const thread = scripted({ startDelayMs: 200, consumed: 5 });
    const started = thread.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = thread.stop();
    await expect(started).resolves.toBeUndefined();
    await expect(stopped).resolves.toBeUndefined();
    expect(thread.stats).toMatchObject({ consumed: 5, commits: 1 });
  });

  it('rejects start() when the thread ends before its connector started, also while stopping', async () => {
    for (const stopDuringStart of [false, true]) {
      const thread = scripted({ startDelayMs: 10_000, exitAfterMs: 50 });
      const started = thread.start();
      const stopped = stopDuringStart ? thread.stop() : undefined;
      await expect(started).rejects.toMatchObject({
        code: 'TRIB_SINK_KAFKA_FAILED',
        message: 'connector thread exited with code 3 before its connector started',
        retriable: false,
      });
      await stopped;
      await thread.stop();
      // Never started, so never failed: `failure` is for a running connector.
      expect(thread.health().live).toBe(true);
    }
  });

  it("rejects stop() with the connector's own stop error", async () => {
    const thread = scripted({
      stopError: { code: 'TRIB_SINK_KAFKA_FAILED', message: 'final commit failed' },
    });
    await thread.start();
    await expect(thread.stop()).rejects.toMatchObject({
      code: 'TRIB_SINK_KAFKA_FAILED',
      message: 'final commit failed',
    });
    expect(thread.stats.commits).toBe(1);
  });

  it('takes the factory module as a file URL or an absolute path, nothing relative', () => {
    const ref = (module: string) => () => new ConnectorThread({ module, exportName: 'x', args: [] }, false);
    expect(ref('/opt/app/connector.js')).not.toThrow();
    expect(ref('file:///opt/app/connector.js')).not.toThrow();
    expect(ref('./connector.js')).toThrow(/module must be a file URL or an absolute path/);
  });

  it('fails start() naming the export when the factory module has none of that name', async () => {
    const thread = new ConnectorThread({ module: FIXTURE, exportName: 'missing', args: [] }, false);
    await expect(thread.start()).rejects.toThrow('has no function export missing');
  });
});
