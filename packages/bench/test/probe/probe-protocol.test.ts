import { describe, expect, it } from 'vitest';
import { isProbeCommand, isProbeInterval, PROBE_MESSAGE_KIND } from '../../src/probe/probe-protocol.js';

const valid = {
  kind: PROBE_MESSAGE_KIND,
  type: 'interval',
  seq: 1,
  atMs: 1_700_000_000_000,
  histograms: { 'raw-indexed': 'HISTFAAA' },
  windowAcks: [['/home', 0, 10_000, 15_300]],
  eventLoop: null,
};

describe('probe messages', () => {
  it('accepts well-formed interval messages only', () => {
    expect(isProbeInterval(valid)).toBe(true);
    expect(isProbeInterval({ ...valid, flushId: 3 })).toBe(true);
    expect(isProbeInterval({ ...valid, eventLoop: { p50: 1, p99: 2, max: 3, samples: 4 } })).toBe(true);
    expect(isProbeInterval({ ...valid, kind: 'x' })).toBe(false);
    expect(isProbeInterval({ ...valid, seq: 1.5 })).toBe(false);
    expect(isProbeInterval({ ...valid, windowAcks: [['/home', 0, 10_000]] })).toBe(false);
    expect(isProbeInterval({ ...valid, eventLoop: { p50: 1 } })).toBe(false);
    expect(isProbeInterval({ ...valid, histograms: { 'raw-indexed': 7 } })).toBe(false);
    expect(isProbeInterval(null)).toBe(false);
  });

  it('accepts the measure and flush commands', () => {
    expect(isProbeCommand({ kind: PROBE_MESSAGE_KIND, type: 'measure', fromMs: 5 })).toBe(true);
    expect(isProbeCommand({ kind: PROBE_MESSAGE_KIND, type: 'flush', id: 2 })).toBe(true);
    expect(isProbeCommand({ kind: PROBE_MESSAGE_KIND, type: 'flush', id: '2' })).toBe(false);
    expect(isProbeCommand({ kind: PROBE_MESSAGE_KIND, type: 'stop' })).toBe(false);
    expect(isProbeCommand({ type: 'measure', fromMs: 5 })).toBe(false);
  });
});
