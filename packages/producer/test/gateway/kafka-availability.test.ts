import { describe, expect, it } from 'vitest';
import { KafkaAvailability } from '../../src/gateway/kafka-availability.js';

describe('KafkaAvailability', () => {
  it('is available once connected, not for the cool-down after a failed send, then again', () => {
    let now = 0;
    const kafka = new KafkaAvailability(1000, () => now);
    expect(kafka.available).toBe(false);
    kafka.connectedNow();
    expect(kafka.available).toBe(true);
    kafka.sendFailed();
    now = 999;
    expect([kafka.connected, kafka.available]).toEqual([true, false]);
    now = 1000;
    expect(kafka.available).toBe(true);
    kafka.sendFailed();
    kafka.sendSucceeded();
    expect(kafka.available).toBe(true);
    kafka.disconnected();
    expect(kafka.available).toBe(false);
  });
});
