import { describe, expect, it } from 'vitest';
import { redactUrl } from '../src/elasticsearch-connection.js';
import { SINK_DEFAULTS, SINK_OPTIONS, redactOptions } from '../src/options.js';

const resolveSinkOptions = SINK_OPTIONS.resolve.bind(SINK_OPTIONS);

describe('SINK_OPTIONS.resolve', () => {
  it('applies SINK_DEFAULTS', () => {
    expect(resolveSinkOptions({ node: 'http://127.0.0.1:9200', index: 'x' })).toMatchObject(SINK_DEFAULTS);
  });

  it('names the option and the constraint', () => {
    const base = { node: 'http://127.0.0.1:9200', index: 'x' };
    expect(() => resolveSinkOptions({ index: 'x' })).toThrow(/^node is required when client is not given/);
    expect(() => resolveSinkOptions({ ...base, node: 'ftp://h' })).toThrow(/^node must use http: or https:/);
    expect(() => resolveSinkOptions({ ...base, retryInitialDelayMs: 10, retryMaxDelayMs: 5 })).toThrow(
      /^retryInitialDelayMs must be <= retryMaxDelayMs/,
    );
    expect(() => resolveSinkOptions({ ...base, auth: { user: 'x' } as never })).toThrow(
      /^auth must be \{ username, password \}, \{ apiKey \} or \{ bearer \}/,
    );
    expect(() => resolveSinkOptions({ ...base, action: 'upsert' as never })).toThrow(
      /^action must be one of index, create, update, delete/,
    );
    expect(() =>
      resolveSinkOptions({ ...base, template: { name: 'ds', indexPatterns: ['ds'], dataStream: true } }),
    ).toThrow(/^action must be 'create'/);
    expect(() => resolveSinkOptions({ ...base, adaptiveConcurrency: true, concurrency: 20 })).toThrow(
      /^concurrency must lie between/,
    );
    expect(() => resolveSinkOptions({ ...base, flushDocs: 0 })).toThrow(/^flushDocs must be >= 1 \(got 0\)/);
    expect(() => resolveSinkOptions({ ...base, latencyFactor: 1 })).toThrow(/^latencyFactor must be > 1/);
    expect(() => resolveSinkOptions({ ...base, flushDocs: 50, maxBufferedDocs: 10 })).toThrow(
      /^maxBufferedDocs must be >= flushDocs \(50\)/,
    );
    expect(() => resolveSinkOptions({ ...base, flushDoc: 1 } as never)).toThrow(
      /^flushDoc is not an option of BulkSink/,
    );
  });

  it('never quotes a credential in a message', () => {
    const base = { node: 'http://127.0.0.1:9200', index: 'x' };
    const bad = { username: 'elastic', pasword: 's3cret' } as never;
    expect(() => resolveSinkOptions({ ...base, auth: bad })).toThrow(/^auth must be .*\(got \*\*\*\)$/);
    expect(() => resolveSinkOptions({ ...base, node: 'ftp://elastic:s3cret@h' })).not.toThrow(/s3cret/);
    expect(() => resolveSinkOptions({ ...base, node: 'http://elastic:s3cret@h:x' })).toThrow(
      /^node must be an http\(s\) URL like .*"http:\/\/\*\*\*:\*\*\*@h:x"/,
    );
  });
});

describe('redaction', () => {
  it('never prints credentials', () => {
    const printed = JSON.stringify(
      redactOptions({
        node: 'https://elastic:s3cret@es.example:9200',
        auth: { username: 'elastic', password: 's3cret' },
        tls: { ca: 'PEM' },
        index: 'x',
        onAck: () => undefined,
      }),
    );
    expect(printed).not.toContain('s3cret');
    expect(printed).not.toContain('PEM');
    expect(JSON.parse(printed)).toEqual({
      node: 'https://***:***@es.example:9200',
      auth: '***',
      tls: '***',
      index: 'x',
      onAck: '[Function]',
    });
    expect(redactUrl('http://127.0.0.1:9200')).toBe('http://127.0.0.1:9200');
  });

  it('redacts the credentials of every node in a comma-separated list', () => {
    expect(redactUrl('https://elastic:hunter2@es-1:9200,https://elastic:hunter2@es-2:9200')).toBe(
      'https://***:***@es-1:9200,https://***:***@es-2:9200',
    );
    // An unencoded @ in the password, a list, a URL inside a message.
    expect(redactUrl('http://u:p@ss@es-1:9200 and [http://a:b@es-2/x]')).toBe(
      'http://***:***@es-1:9200 and [http://***:***@es-2/x]',
    );
    expect(JSON.stringify(redactOptions({ node: ['http://a:pw-1@h1', 'http://b:pw-2@h2'] }))).not.toMatch(
      /pw-/,
    );
  });
});
