import * as diagnosticsChannel from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, channels, publish } from '../src/diagnostics.js';

describe('diagnostics channels', () => {
  it('are named tributary:bench:* and publish only to subscribers', () => {
    expect(Object.values(CHANNEL_NAMES).every((n) => n.startsWith('tributary:bench:'))).toBe(true);
    let built = 0;
    publish(channels.progress, () => {
      built++;
      return {};
    });
    expect(built).toBe(0);
    const seen: unknown[] = [];
    const listener = (message: unknown): void => void seen.push(message);
    diagnosticsChannel.subscribe(CHANNEL_NAMES.PROGRESS, listener);
    try {
      publish(channels.progress, () => ({ run: 1, line: 'hello' }));
    } finally {
      diagnosticsChannel.unsubscribe(CHANNEL_NAMES.PROGRESS, listener);
    }
    expect(seen).toEqual([{ run: 1, line: 'hello' }]);
  });
});
