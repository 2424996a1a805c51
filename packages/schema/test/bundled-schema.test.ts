import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLICKSTREAM_PROTO_FILE, clickstreamProtoPath } from '../src/bundled-schema.js';
import { loadProtoFile } from '../src/proto-source.js';

describe('clickstreamProtoPath', () => {
  it('points at the clickstream schema source', () => {
    const path = clickstreamProtoPath();
    expect(path.endsWith(CLICKSTREAM_PROTO_FILE)).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain('package tributary.clickstream.v1;');
  });

  it('declares ClickstreamEvent with the seed field numbers and WindowResult', () => {
    const root = loadProtoFile(clickstreamProtoPath());
    const event = root.lookupType('tributary.clickstream.v1.ClickstreamEvent');
    expect(event.fieldsArray.map((f) => [f.id, f.name, f.type])).toEqual([
      [1, 'user_id', 'string'],
      [2, 'page_url', 'string'],
      [3, 'timestamp', 'int64'],
      [4, 'event_type', 'string'],
      [5, 'event_id', 'string'],
      [6, 'session_id', 'string'],
      [7, 'referrer', 'string'],
      [8, 'user_agent', 'string'],
      [9, 'device', 'string'],
      [10, 'country', 'string'],
    ]);
    const result = root.lookupType('tributary.clickstream.v1.WindowResult');
    expect(result.fieldsArray.map((f) => f.name)).toEqual([
      'page_url',
      'window_start',
      'window_end',
      'click_count',
      'view_count',
      'is_final',
      'version',
    ]);
  });
});
