import { describe, expect, it } from 'vitest';
import { isPermanentStartFailure, startWithRetry } from '../../src/runtime/start-retry.js';

/** Instances that fail to start with `failures[i]` (undefined = start), recording what happened to each. */
function fleet(failures: Array<Error | undefined>) {
  const events: string[] = [];
  let n = 0;
  const create = () => {
    const id = n++;
    return {
      id,
      async start() {
        events.push(`start ${id}`);
        const failure = failures[id];
        if (failure !== undefined) throw failure;
      },
      async stop() {
        events.push(`stop ${id}`);
      },
    };
  };
  return { create, events };
}

const coded = (code: string, cause?: unknown) => Object.assign(new Error(code), { code, cause });

describe('startWithRetry', () => {
  it('starts a fresh instance after a transient failure, stopping the failed one, with growing pauses', async () => {
    const { create, events } = fleet([new Error('ECONNREFUSED'), coded('TRIB_PROC_TOPIC_ADMIN_FAILED')]);
    const pauses: number[] = [];
    let now = 0;
    const started = await startWithRetry(create, {
      timeoutMs: 60_000,
      now: () => now,
      sleep: async (ms) => {
        pauses.push(ms);
        now += ms;
      },
    });
    expect(started.id).toBe(2);
    expect(events).toEqual(['start 0', 'stop 0', 'start 1', 'stop 1', 'start 2']);
    expect(pauses).toEqual([1_000, 2_000]);
  });

  it('throws a permanent failure at once, also when it is the cause of another error', async () => {
    const { create, events } = fleet([coded('TRIB_PROC_COMMIT_FAILED', coded('TRIB_PROC_TOPIC_MISMATCH'))]);
    await expect(startWithRetry(create, { timeoutMs: 60_000, sleep: async () => undefined })).rejects.toThrow(
      'TRIB_PROC_COMMIT_FAILED',
    );
    expect(events).toEqual(['start 0', 'stop 0']);
    for (const code of ['TRIB_PROC_INVALID_OPTION', 'TRIB_PROC_INPUT_TOPIC_MISSING', 'TRIB_SINK_AUTH_FAILED'])
      expect(isPermanentStartFailure(coded(code))).toBe(true);
    expect(isPermanentStartFailure(new Error('Connection error: connect ECONNREFUSED'))).toBe(false);
  });

  it('gives up with the last failure once the next pause would pass timeoutMs', async () => {
    const { create, events } = fleet(Array.from({ length: 10 }, (_, i) => new Error(`down ${i}`)));
    let now = 0;
    await expect(
      startWithRetry(create, {
        timeoutMs: 10_000,
        now: () => now,
        sleep: async (ms) => {
          now += ms;
        },
      }),
    ).rejects.toThrow('down 3'); // pauses of 1, 2 and 4 s; the next, 8 s, would end after 15 s
    expect(events.filter((e) => e.startsWith('start'))).toHaveLength(4);
  });
});
