import { describe, expect, it } from 'vitest';
import { RECORD_OFFSET, RECORD_TIMESTAMP, type KafkaMessage } from '@tributary/kafka';
import { messageOffset, messageTimestamp, offsetFromKafka, offsetToKafka } from '../../src/kafka/offsets.js';

function message(fields: Partial<KafkaMessage> & Record<symbol, number>): KafkaMessage {
  return {
    key: null,
    value: null,
    attributes: 0,
    offset: '0',
    timestamp: '0',
    headers: {},
    ...fields,
  } as KafkaMessage;
}

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

  it("read a fetched record's numbers from the fetch decoder when it kept them, else parse kafkajs' strings", () => {
    // the decoder's numbers win over the strings (here deliberately different, to show which is read)
    const decoded = message({
      offset: '41',
      timestamp: '1700000000000',
      [RECORD_OFFSET]: 7,
      [RECORD_TIMESTAMP]: 1_600_000_000_000,
    });
    expect([messageOffset(decoded), messageTimestamp(decoded)]).toEqual([7, 1_600_000_000_000]);
    const byKafkajs = message({ offset: '42', timestamp: '1700000000001' });
    expect([messageOffset(byKafkajs), messageTimestamp(byKafkajs)]).toEqual([42, 1_700_000_000_001]);
    expect(() => messageOffset(message({ offset: '9007199254740993' }))).toThrow(
      expect.objectContaining({ code: 'TRIB_PROC_OFFSET_OUT_OF_RANGE' }),
    );
  });
});
