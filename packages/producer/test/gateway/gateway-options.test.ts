import { createLogger } from '@tributary/observability';
import { describe, expect, it } from 'vitest';
import { resolveGatewayOptions } from '../../src/gateway/gateway-options.js';

describe('resolveGatewayOptions', () => {
  it('accepts a logger only when it has the four methods', () => {
    const logger = createLogger({ name: 'tributary-gateway', destination: { write: () => undefined } });
    expect(resolveGatewayOptions({ logger }).logger).toBe(logger);
    expect(resolveGatewayOptions({}).logger).toBeUndefined();
    expect(() => resolveGatewayOptions({ logger: { info: () => undefined } as never })).toThrow(
      /logger must have debug, info, warn and error methods/,
    );
  });
});
