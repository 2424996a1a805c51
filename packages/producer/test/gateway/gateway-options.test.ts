import { createLogger } from '@tributary/observability';
import { describe, expect, it } from 'vitest';
import { GATEWAY_OPTIONS } from '../../src/gateway/gateway-options.js';

describe('GATEWAY_OPTIONS', () => {
  it('accepts a logger only when it has the four methods', () => {
    const logger = createLogger({ name: 'tributary-gateway', destination: { write: () => undefined } });
    expect(GATEWAY_OPTIONS.resolve({ logger }).logger).toBe(logger);
    expect(GATEWAY_OPTIONS.resolve({}).logger).toBeUndefined();
    expect(() => GATEWAY_OPTIONS.resolve({ logger: { info: () => undefined } as never })).toThrow(
      /logger must have debug, info, warn and error methods/,
    );
  });
});

describe('GATEWAY_OPTIONS, the exposed surface', () => {
  it('listens on loopback unless told otherwise', () => {
    expect(GATEWAY_OPTIONS.resolve({}).host).toBe('127.0.0.1');
    expect(GATEWAY_OPTIONS.parseCommandLine(['--host', '0.0.0.0']).values.host).toBe('0.0.0.0');
  });

  it('takes API keys from the environment only, never from a flag, and never shows them', () => {
    const key = 'key-aaaaaaaaaaaaaaaa';
    expect(() => GATEWAY_OPTIONS.parseCommandLine(['--api-keys', key])).toThrow(/api-keys/);
    const { values } = GATEWAY_OPTIONS.parseCommandLine([], {
      env: { TRIBUTARY_API_KEYS: `${key},key-bbbbbbbbbbbbbbbb` },
    });
    expect(values.apiKeys).toEqual([key, 'key-bbbbbbbbbbbbbbbb']);
    expect(JSON.stringify(GATEWAY_OPTIONS.redacted(values))).not.toContain(key);
    expect(GATEWAY_OPTIONS.help({ usage: 'serve' })).toContain('--api-keys-file');
    expect(() =>
      GATEWAY_OPTIONS.parseCommandLine([], { env: { TRIBUTARY_API_KEYS: 'short-secret' } }),
    ).toThrow(/TRIBUTARY_API_KEYS.*16-512 characters.*\*\*\*/);
    try {
      GATEWAY_OPTIONS.parseCommandLine([], { env: { TRIBUTARY_API_KEYS: 'short-secret' } });
    } catch (err) {
      expect((err as Error).message).not.toContain('short-secret');
    }
  });

  it('fails naming the option for contradictory TLS and timeout settings', () => {
    expect(() => GATEWAY_OPTIONS.parseCommandLine(['--tls-cert-file', 'c.pem'])).toThrow(
      /--tls-key-file is needed with tlsCertFile/,
    );
    expect(() => GATEWAY_OPTIONS.resolve({ tlsCaFile: 'ca.pem' })).toThrow(/tlsCaFile needs tlsCertFile/);
    expect(() =>
      GATEWAY_OPTIONS.parseCommandLine(['--http-headers-timeout', '40s', '--http-request-timeout', '30s']),
    ).toThrow(/--http-headers-timeout must be <= httpRequestTimeoutMs/);
    expect(() => GATEWAY_OPTIONS.parseCommandLine(['--max-in-flight', '512kb'])).toThrow(
      /--max-in-flight must be >= maxBodyBytes \(1048576\)/,
    );
    expect(() => GATEWAY_OPTIONS.resolve({ maxBodyBytes: 4096, maxInFlightBytes: 2048 })).toThrow(
      /maxInFlightBytes must be >= maxBodyBytes \(4096\)/,
    );
    expect(
      GATEWAY_OPTIONS.parseCommandLine(['--max-event', '16kb', '--max-in-flight', '8mb']).values,
    ).toMatchObject({
      maxEventBytes: 16 * 1024,
      maxInFlightBytes: 8 * 1024 * 1024,
    });
  });
});
