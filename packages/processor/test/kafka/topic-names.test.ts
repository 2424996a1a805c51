import { describe, expect, it } from 'vitest';
import { changelogTopic, transactionalId } from '../../src/kafka/topic-names.js';

describe('topic names', () => {
  it('derives changelog topics and per-partition transactional ids from the stage id', () => {
    expect(changelogTopic('clicks', 'windows')).toBe('clicks-windows-changelog');
    expect(transactionalId('clicks', 'events', 3)).toBe('clicks-events-3');
  });
});
