import { describe, expect, it } from 'vitest';
import { KafkaMessageFactory } from '../../src/kafka/kafka-message.js';

describe('KafkaMessageFactory', () => {
  it('builds messages of key, value and explicit partition', () => {
    const f = new KafkaMessageFactory();
    const m = f.message(3, 'u0042', new Uint8Array([1, 2, 3]));
    expect(Object.keys(m)).toEqual(['key', 'value', 'partition']);
    expect(m.partition).toBe(3);
    expect(m.key.toString('utf8')).toBe('u0042');
    expect([...m.value]).toEqual([1, 2, 3]);
  });

  it('wraps a Uint8Array value without copying it and passes a Buffer through', () => {
    const f = new KafkaMessageFactory();
    const backing = new Uint8Array([9, 8, 7, 6, 5]);
    const view = backing.subarray(1, 4);
    const m = f.message(0, 'k', view);
    expect(Buffer.isBuffer(m.value)).toBe(true);
    expect([...m.value]).toEqual([8, 7, 6]);
    backing[2] = 99;
    expect(m.value[1]).toBe(99);
    const buf = Buffer.from([1]);
    expect(f.message(0, 'k', buf).value).toBe(buf);
  });

  it('encodes each distinct key once (UTF-8) and reuses the bytes', () => {
    const f = new KafkaMessageFactory();
    const a = f.message(0, 'ü-user', new Uint8Array(0));
    const b = f.message(1, 'ü-user', new Uint8Array(0));
    expect(a.key).toBe(b.key);
    expect(a.key.equals(Buffer.from('ü-user', 'utf8'))).toBe(true);
    expect(f.keyBytes('other').toString()).toBe('other');
  });

  it('adds headers only when given', () => {
    const f = new KafkaMessageFactory();
    expect('headers' in f.message(0, 'k', new Uint8Array(0))).toBe(false);
    expect(f.message(0, 'k', new Uint8Array(0), { h: 'v' }).headers).toEqual({ h: 'v' });
  });
});
