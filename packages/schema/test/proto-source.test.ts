import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProtoFile, parseProto } from '../src/proto-source.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-proto-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseProto / loadProtoFile', () => {
  it('parses source text keeping snake_case field names', () => {
    const root = parseProto('syntax = "proto3"; package a; message M { string page_url = 1; }');
    expect(root.lookupType('a.M').fieldsById[1]!.name).toBe('page_url');
  });

  it('loads a file with its imports', () => {
    writeFileSync(join(dir, 'dep.proto'), 'syntax = "proto3"; package a; message Dep { int64 n = 1; }');
    writeFileSync(
      join(dir, 'main.proto'),
      'syntax = "proto3"; package a; import "dep.proto"; message Main { Dep dep = 1; }',
    );
    const root = loadProtoFile(join(dir, 'main.proto'));
    expect(root.lookupType('a.Main').fieldsById[1]!.resolvedType?.fullName).toBe('.a.Dep');
  });

  it('throws TRIB_SCHEMA_PARSE_FAILED for a missing file', () => {
    expect(() => loadProtoFile(join(dir, 'nope.proto'))).toThrow(
      expect.objectContaining({
        code: 'TRIB_SCHEMA_PARSE_FAILED',
        message: expect.stringContaining('nope.proto'),
      }),
    );
  });

  it('throws TRIB_SCHEMA_PARSE_FAILED for invalid syntax, with the parser error as cause', () => {
    let caught: unknown;
    try {
      parseProto('syntax = "proto3"; message M { string = 1; }', 'bad.proto');
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'TRIB_SCHEMA_PARSE_FAILED', retriable: false });
    expect((caught as Error).cause).toBeInstanceOf(Error);
  });
});
