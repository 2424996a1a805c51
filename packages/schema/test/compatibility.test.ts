import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompatibilityIssueCodes, isCompatible } from '../src/compatibility-issues.js';
import type { CompatibilityIssue } from '../src/compatibility-issues.js';
import { checkCompatibility } from '../src/compatibility.js';
import { loadProtoFile, parseProto } from '../src/proto-source.js';

const packageRoot = resolve(import.meta.dirname, '..');
const SEED = join(packageRoot, 'test', 'fixtures', 'seed-clickstream.proto');
const CURRENT = join(packageRoot, 'proto', 'tributary', 'clickstream', 'v1', 'clickstream.proto');

function proto(body: string, pkg = 'shop.v1'): string {
  return `syntax = "proto3";\npackage ${pkg};\n${body}`;
}

const BASE = proto(`
message Order {
  string id = 1;
  int64 amount = 2;
  repeated string tags = 3;
  Item item = 4;
  Status status = 5;
  message Item { string sku = 1; }
}
message Item2 { string sku = 1; }
enum Status { UNKNOWN = 0; PAID = 1; SHIPPED = 2; }
`);

function check(oldSrc: string, newSrc: string, options = {}): CompatibilityIssue[] {
  return checkCompatibility(parseProto(oldSrc, 'old.proto'), parseProto(newSrc, 'new.proto'), options);
}

function errors(issues: CompatibilityIssue[]): CompatibilityIssue[] {
  return issues.filter((i) => i.severity === 'error');
}

describe('checkCompatibility: the Tributary schema', () => {
  it('keeps the current ClickstreamEvent wire-compatible with the seed message', () => {
    const issues = checkCompatibility(loadProtoFile(SEED), loadProtoFile(CURRENT), { ignorePackage: true });
    expect(issues).toEqual([]);
  });

  it('reports the seed → tributary package move when package names matter (schema registry subjects)', () => {
    const issues = checkCompatibility(loadProtoFile(SEED), loadProtoFile(CURRENT));
    expect(issues.map((i) => i.code)).toEqual([CompatibilityIssueCodes.PACKAGE_CHANGED]);
    expect(issues[0]!.message).toContain('com.example.clickstream');
  });

  it('finds the current schema compatible with itself', () => {
    const source = readFileSync(CURRENT, 'utf8');
    expect(check(source, source)).toEqual([]);
  });
});

describe('checkCompatibility: breaking changes', () => {
  it('accepts adding fields, messages and enum values', () => {
    const next = BASE.replace('Status status = 5;', 'Status status = 5;\n  string note = 6;').replace(
      'SHIPPED = 2;',
      'SHIPPED = 2; RETURNED = 3;',
    );
    expect(check(BASE, next + '\nmessage Refund { string id = 1; }')).toEqual([]);
  });

  it('reports a field number reused with another type, naming the field', () => {
    const issues = check(BASE, BASE.replace('int64 amount = 2;', 'string amount = 2;'));
    expect(issues).toEqual([
      expect.objectContaining({
        code: CompatibilityIssueCodes.FIELD_TYPE_CHANGED,
        severity: 'error',
        path: 'shop.v1.Order.amount',
        field: 'amount',
        number: 2,
      }),
    ]);
    expect(issues[0]!.message).toMatch(
      /field number 2 of shop.v1.Order \(amount\) reused with type string instead of int64/,
    );
  });

  it('reports a number reused by a differently named field with another type', () => {
    const issues = check(BASE, BASE.replace('int64 amount = 2;', 'double price = 2;'));
    expect(issues.map((i) => [i.code, i.severity])).toEqual([
      [CompatibilityIssueCodes.FIELD_TYPE_CHANGED, 'error'],
      [CompatibilityIssueCodes.FIELD_RENAMED, 'warning'],
    ]);
  });

  it('reports a message field switched to another message type', () => {
    const issues = errors(check(BASE, BASE.replace('Item item = 4;', 'Item2 item = 4;')));
    expect(issues).toEqual([
      expect.objectContaining({ code: CompatibilityIssueCodes.FIELD_TYPE_CHANGED, field: 'item' }),
    ]);
  });

  it('warns only for wire-compatible type changes (int64 → int32, string → bytes, enum → int32)', () => {
    const next = BASE.replace('int64 amount = 2;', 'int32 amount = 2;')
      .replace('string id = 1;', 'bytes id = 1;')
      .replace('Status status = 5;', 'int32 status = 5;');
    const issues = check(BASE, next);
    expect(issues.map((i) => i.code)).toEqual(
      Array(3).fill(CompatibilityIssueCodes.FIELD_TYPE_WIDENED_OR_NARROWED),
    );
    expect(isCompatible(issues)).toBe(true);
  });

  it('reports singular ↔ repeated changes', () => {
    const issues = check(BASE, BASE.replace('repeated string tags = 3;', 'string tags = 3;'));
    expect(errors(issues)).toEqual([
      expect.objectContaining({ code: CompatibilityIssueCodes.FIELD_LABEL_CHANGED, field: 'tags' }),
    ]);
  });

  it('reports a field removed without reserved', () => {
    const issues = check(BASE, BASE.replace('int64 amount = 2;', ''));
    expect(issues).toEqual([
      expect.objectContaining({
        code: CompatibilityIssueCodes.FIELD_REMOVED,
        severity: 'error',
        field: 'amount',
        number: 2,
      }),
    ]);
    expect(issues[0]!.message).toContain('amount = 2');
  });

  it('accepts a removed field whose number and name are reserved; warns when only the number is', () => {
    expect(check(BASE, BASE.replace('int64 amount = 2;', 'reserved 2; reserved "amount";'))).toEqual([]);
    const issues = check(BASE, BASE.replace('int64 amount = 2;', 'reserved 2;'));
    expect(issues.map((i) => [i.code, i.severity])).toEqual([
      [CompatibilityIssueCodes.FIELD_NAME_NOT_RESERVED, 'warning'],
    ]);
  });

  it('reports a reserved number or name reused by a new field', () => {
    const old = BASE.replace('int64 amount = 2;', 'reserved 2, 10 to 12; reserved "amount";');
    const byNumber = check(old, old.replace('reserved 2, 10 to 12;', 'reserved 2; string coupon = 11;'));
    expect(byNumber).toContainEqual(
      expect.objectContaining({
        code: CompatibilityIssueCodes.RESERVED_NUMBER_REUSED,
        field: 'coupon',
        number: 11,
      }),
    );
    expect(byNumber).toContainEqual(
      expect.objectContaining({ code: CompatibilityIssueCodes.RESERVATION_REMOVED, severity: 'warning' }),
    );
    const byName = check(old, old.replace('reserved "amount";', 'int64 amount = 20;'));
    expect(errors(byName)).toEqual([
      expect.objectContaining({
        code: CompatibilityIssueCodes.RESERVED_NAME_REUSED,
        field: 'amount',
        number: 20,
      }),
    ]);
  });

  it('reports a renamed or removed message (including nested ones)', () => {
    const renamed = check(BASE, BASE.replace('message Item2 {', 'message Product {'));
    expect(renamed).toEqual([
      expect.objectContaining({ code: CompatibilityIssueCodes.MESSAGE_REMOVED, path: 'shop.v1.Item2' }),
    ]);
    const nested = errors(
      check(
        BASE,
        BASE.replace('message Item { string sku = 1; }', '').replace('Item item = 4;', 'Item2 item = 4;'),
      ),
    );
    expect(nested.map((i) => i.code)).toContain(CompatibilityIssueCodes.MESSAGE_REMOVED);
    expect(nested.map((i) => i.path)).toContain('shop.v1.Order.Item');
  });

  it('reports a renamed package once and still checks fields by message name', () => {
    const next = BASE.replace('package shop.v1;', 'package shop.v2;').replace(
      'int64 amount = 2;',
      'string amount = 2;',
    );
    const issues = check(BASE, next);
    expect(issues.map((i) => i.code)).toEqual([
      CompatibilityIssueCodes.PACKAGE_CHANGED,
      CompatibilityIssueCodes.FIELD_TYPE_CHANGED,
    ]);
    expect(
      check(BASE, BASE.replace('package shop.v1;', 'package shop.v2;'), { ignorePackage: true }),
    ).toEqual([]);
  });

  it('reports enum values removed without reserved and removed enums', () => {
    expect(errors(check(BASE, BASE.replace(' SHIPPED = 2;', '')))).toEqual([
      expect.objectContaining({
        code: CompatibilityIssueCodes.ENUM_VALUE_REMOVED,
        field: 'SHIPPED',
        number: 2,
      }),
    ]);
    expect(check(BASE, BASE.replace(' SHIPPED = 2;', ' reserved 2;'))).toEqual([]);
    const noEnum = BASE.replace('enum Status { UNKNOWN = 0; PAID = 1; SHIPPED = 2; }', '').replace(
      'Status status = 5;',
      '',
    );
    expect(
      errors(check(BASE, noEnum))
        .map((i) => i.code)
        .sort(),
    ).toEqual([CompatibilityIssueCodes.ENUM_REMOVED, CompatibilityIssueCodes.FIELD_REMOVED].sort());
  });
});

describe('parseProto', () => {
  it('throws TRIB_SCHEMA_PARSE_FAILED naming the file', () => {
    expect(() => parseProto('message {', 'broken.proto')).toThrow(
      expect.objectContaining({
        code: 'TRIB_SCHEMA_PARSE_FAILED',
        message: expect.stringContaining('broken.proto'),
      }),
    );
    expect(() => parseProto(proto('message A { Missing m = 1; }'), 'unresolved.proto')).toThrow(
      /unresolved.proto/,
    );
  });
});
