import { describe, expect, it } from 'vitest';
import { classifyItem, classifyRequestError, splitInHalves } from '../src/outcome.js';

const index = { action: 'index', externalVersion: false } as const;
const external = { action: 'index', externalVersion: true } as const;
const conflict = {
  status: 409,
  error: { type: 'version_conflict_engine_exception', reason: 'version conflict' },
};

describe('classifyItem', () => {
  it('treats 2xx as success', () => {
    expect(classifyItem({ status: 201, result: 'created' }, index)).toEqual({
      kind: 'success',
      status: 201,
      result: 'created',
    });
  });

  it('treats 409 as a duplicate under external versioning or create, and as an error otherwise', () => {
    expect(classifyItem(conflict, external).kind).toBe('duplicate');
    expect(classifyItem(conflict, { action: 'create', externalVersion: false }).kind).toBe('duplicate');
    expect(classifyItem(conflict, index).kind).toBe('dead-letter');
  });

  it('retries 429, 5xx and load-shedding exceptions', () => {
    expect(
      classifyItem(
        { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } },
        index,
      ).kind,
    ).toBe('retry');
    expect(
      classifyItem({ status: 503, error: { type: 'unavailable_shards_exception', reason: 'x' } }, index).kind,
    ).toBe('retry');
    expect(
      classifyItem(
        { status: 400, error: { type: 'circuit_breaking_exception', reason: 'data too large' } },
        index,
      ).kind,
    ).toBe('retry');
    // A write block on the index, missing privileges: cleared by an operator, not bad documents.
    for (const type of ['cluster_block_exception', 'security_exception'])
      expect(classifyItem({ status: 403, error: { type, reason: 'blocked' } }, index).kind).toBe('retry');
  });

  it('dead-letters mapping and parse errors with the reason, including the cause', () => {
    const outcome = classifyItem(
      {
        status: 400,
        error: {
          type: 'document_parsing_exception',
          reason: 'failed to parse field [n] of type [long]',
          caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "abc"' },
        },
      },
      index,
    );
    expect(outcome).toEqual({
      kind: 'dead-letter',
      status: 400,
      errorType: 'document_parsing_exception',
      reason:
        'failed to parse field [n] of type [long] (caused by illegal_argument_exception: For input string: "abc")',
    });
    expect(
      classifyItem(
        { status: 404, error: { type: 'index_not_found_exception', reason: 'no such index' } },
        index,
      ).kind,
    ).toBe('dead-letter');
  });

  it('counts deleting a missing document as success', () => {
    expect(
      classifyItem({ status: 404, result: 'not_found' }, { action: 'delete', externalVersion: false }),
    ).toEqual({
      kind: 'success',
      status: 404,
      result: 'not_found',
    });
  });
});

describe('classifyRequestError', () => {
  const response = (statusCode: number, type = 'x') => ({
    name: 'ResponseError',
    meta: { statusCode, body: { error: { type, reason: 'r' } } },
  });

  it('retries 429/502/503/504, connection errors and timeouts', () => {
    for (const status of [429, 502, 503, 504])
      expect(classifyRequestError(response(status)).kind).toBe('retry');
    expect(classifyRequestError({ name: 'ConnectionError', message: 'ECONNREFUSED' }).kind).toBe('retry');
    expect(classifyRequestError({ name: 'TimeoutError', message: 'Request timed out' }).kind).toBe('retry');
  });

  it('splits on 413 and stops on abort', () => {
    expect(classifyRequestError(response(413)).kind).toBe('split');
    expect(classifyRequestError({ name: 'RequestAbortedError' }).kind).toBe('aborted');
  });

  it('retries 401/403 (credentials rotated or revoked while running: an outage, not a bad document)', () => {
    expect(classifyRequestError(response(401, 'security_exception'))).toEqual({
      kind: 'retry',
      reason: '401 security_exception: r',
      status: 401,
    });
    expect(classifyRequestError(response(403, 'security_exception')).kind).toBe('retry');
  });

  it('fails on other client errors, naming status and type', () => {
    expect(classifyRequestError(response(400, 'parse_exception'))).toEqual({
      kind: 'fail',
      reason: 'request failed with 400 parse_exception: r',
      status: 400,
      errorType: 'parse_exception',
    });
  });
});

describe('splitInHalves', () => {
  it('splits into two halves and refuses a single document', () => {
    expect(splitInHalves([1, 2, 3])).toEqual([[1, 2], [3]]);
    expect(splitInHalves([1])).toBeUndefined();
  });
});
