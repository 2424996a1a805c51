import { describe, expect, it } from 'vitest';
import { DEVSTACK_ERROR_CODES, DevstackError, invalidOption, isDevstackError } from '../src/errors.js';

describe('errors', () => {
  it('carries a stable code, retriable, details and cause', () => {
    const cause = new Error('boom');
    const error = new DevstackError(DEVSTACK_ERROR_CODES.PORT_IN_USE, 'msg', {
      port: 9092,
      service: 'kafka',
      cause,
    });
    expect(error).toMatchObject({
      code: 'TRIB_DEVSTACK_PORT_IN_USE',
      retriable: false,
      port: 9092,
      service: 'kafka',
      cause,
    });
    expect(error.logTail).toEqual([]);
  });

  it('matches on code, across package copies', () => {
    expect(isDevstackError(invalidOption('kafkaPort', 'is bad'), DEVSTACK_ERROR_CODES.INVALID_OPTION)).toBe(
      true,
    );
    expect(isDevstackError({ code: 'TRIB_DEVSTACK_START_FAILED' })).toBe(true);
    expect(isDevstackError({ code: 'TRIB_SINK_CLOSED' })).toBe(false);
    expect(isDevstackError(new Error('x'))).toBe(false);
    expect(invalidOption('kafkaPort', 'is bad')).toMatchObject({
      message: 'kafkaPort is bad',
      option: 'kafkaPort',
    });
  });

  it('uses TRIB_DEVSTACK_ codes only', () => {
    for (const code of Object.values(DEVSTACK_ERROR_CODES)) expect(code).toMatch(/^TRIB_DEVSTACK_[A-Z_]+$/);
  });
});
