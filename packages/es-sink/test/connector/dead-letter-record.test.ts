import { describe, expect, it } from 'vitest';
import { deadLetterMessage } from '../../src/connector/dead-letter-record.js';

describe('deadLetterMessage', () => {
  it('keeps key, value and string headers and adds the reason headers', () => {
    const message = deadLetterMessage({
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      headers: { trace: 'abc', skipped: undefined },
      errorType: 'document_parsing_exception',
      reason: 'failed to parse',
      status: 400,
      sourceTopic: 'in',
      sourcePartition: 2,
      sourceOffset: 17,
    });
    expect(message).toEqual({
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      headers: {
        trace: 'abc',
        'tributary.error.type': 'document_parsing_exception',
        'tributary.error.reason': 'failed to parse',
        'tributary.error.status': '400',
        'tributary.source.topic': 'in',
        'tributary.source.partition': '2',
        'tributary.source.offset': '17',
      },
    });
  });
});
