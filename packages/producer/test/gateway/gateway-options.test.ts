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
