import { describe, expect, it } from 'vitest';
import { devstackOptionsFromEnv, parseServices } from '../src/options-env.js';
import { resolveDevstackOptions } from '../src/options.js';

describe('devstackOptionsFromEnv', () => {
  it('maps TRIBUTARY_* variables onto options', () => {
    const options = devstackOptionsFromEnv({
      TRIBUTARY_KAFKA_PORT: '19092',
      TRIBUTARY_ES_PORT: '19200',
      TRIBUTARY_DEVSTACK_SERVICES: 'es',
      TRIBUTARY_ES_WRITE_QUEUE_SIZE: '2',
      TRIBUTARY_ES_HEAP: '512m',
      TRIBUTARY_DEVSTACK_CACHE: '/tmp/c',
      TRIBUTARY_KAFKA_HEAP: '',
    });
    expect(options).toEqual({
      kafkaPort: 19092,
      esPort: 19200,
      services: ['elasticsearch'],
      writeQueueSize: 2,
      esHeap: '512m',
      cacheDir: '/tmp/c',
    });
  });

  it('names the variable when a number is not an integer', () => {
    expect(() => devstackOptionsFromEnv({ TRIBUTARY_KAFKA_PORT: 'abc' })).toThrow(
      'TRIBUTARY_KAFKA_PORT must be an integer (got "abc")',
    );
  });

  it('goes through the same validation as the library', () => {
    expect(() => resolveDevstackOptions(devstackOptionsFromEnv({ TRIBUTARY_ES_PORT: '99999' }))).toThrow(
      'esPort must be an integer between 1 and 65535',
    );
  });
});

describe('parseServices', () => {
  it('accepts lists, es and all', () => {
    expect(parseServices('kafka, elasticsearch')).toEqual(['kafka', 'elasticsearch']);
    expect(parseServices('all')).toEqual(['kafka', 'elasticsearch']);
    expect(parseServices('es')).toEqual(['elasticsearch']);
  });
});
