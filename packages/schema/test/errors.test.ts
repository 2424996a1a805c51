import { describe, expect, it } from 'vitest';
import { SCHEMA_ERROR_CODES, SchemaError, SchemaErrorCodes, isSchemaError } from '../src/errors.js';

describe('SchemaError', () => {
  it('carries code, reason, field, cause and is never retriable', () => {
    const cause = new Error('boom');
    const err = new SchemaError(SchemaErrorCodes.MISSING_FIELD, 'page_url is missing', {
      field: 'page_url',
      cause,
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('SchemaError');
    expect(err.code).toBe('TRIB_SCHEMA_MISSING_FIELD');
    expect(err.reason).toBe('page_url is missing');
    expect(err.message).toBe('TRIB_SCHEMA_MISSING_FIELD: page_url is missing');
    expect(err.field).toBe('page_url');
    expect(err.cause).toBe(cause);
    expect(err.retriable).toBe(false);
  });

  it('omits field and cause when not given', () => {
    const err = new SchemaError(SchemaErrorCodes.DECODE_FAILED, 'x');
    expect('field' in err).toBe(false);
    expect('cause' in err).toBe(false);
  });

  it('has unique TRIB_SCHEMA_ codes', () => {
    expect(new Set(SCHEMA_ERROR_CODES).size).toBe(SCHEMA_ERROR_CODES.length);
    for (const code of SCHEMA_ERROR_CODES) expect(code).toMatch(/^TRIB_SCHEMA_[A-Z_]+$/);
  });

  it('isSchemaError matches on the code, not the class', () => {
    expect(isSchemaError(new SchemaError(SchemaErrorCodes.INVALID_FRAME, 'x'))).toBe(true);
    expect(isSchemaError(Object.assign(new Error('x'), { code: 'TRIB_SCHEMA_DECODE_FAILED' }))).toBe(true);
    expect(isSchemaError(Object.assign(new Error('x'), { code: 'TRIB_SINK_X' }))).toBe(false);
    expect(isSchemaError({ code: 'TRIB_SCHEMA_DECODE_FAILED' })).toBe(false);
  });
});
