import { describe, expect, it } from 'vitest';
import { offsetFromKafka, offsetToKafka } from '../../src/kafka/offsets.js';

describe('Kafka offsets at the kafkajs boundary', () => {
  it('are numbers inside, decimal strings for kafkajs', () => {
    expect(offsetFromKafka('0')).toBe(0);
    expect(offsetFromKafka('-1')).toBe(-1);
    expect(offsetFromKafka('9007199254740991')).toBe(2 ** 53 - 1);
    expect(offsetToKafka(2 ** 53 - 1)).toBe('9007199254740991');
    expect(offsetToKafka(0)).toBe('0');
  });

  it('rejects what a number cannot hold exactly with TRIB_PROC_OFFSET_OUT_OF_RANGE, never rounding', () => {
    for (const bad of ['9007199254740992', '9223372036854775807', '', ' ', '1.5', 'x', '1e400']) {
      expect(() => offsetFromKafka(bad)).toThrow(
        expect.objectContaining({ code: 'TRIB_PROC_OFFSET_OUT_OF_RANGE' }),
      );
    }
    expect(() => offsetFromKafka('9007199254740992')).toThrow(/at most 2\^53 - 1/);
  });
});
