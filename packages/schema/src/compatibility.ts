// Backward-compatibility check between two versions of a protobuf schema: can a consumer built on the new schema
// read every message written with the old one (and vice versa on the wire), and do the names other tools depend on
// (schema registry subjects, JSON mapping) survive?

import protobuf from 'protobufjs';
import { CompatibilityIssueCodes } from './compatibility-issues.js';
import type { CompatibilityIssue } from './compatibility-issues.js';

export interface CompatibilityOptions {
  /**
   * Match messages by their name inside the package and do not report a package rename: a wire-level check,
   * e.g. against the seed's `com.example.clickstream.ClickstreamEvent`.
   * @defaultValue false
   */
  ignorePackage?: boolean | undefined;
}

/** Scalar types that share a wire encoding; changing between members keeps old bytes readable. */
const WIRE_GROUPS: readonly (readonly string[])[] = [
  ['int32', 'uint32', 'int64', 'uint64', 'bool'],
  ['sint32', 'sint64'],
  ['fixed32', 'sfixed32'],
  ['fixed64', 'sfixed64'],
  ['string', 'bytes'],
];
const SCALARS = new Set(['double', 'float', ...WIRE_GROUPS.flat()]);

type Named = protobuf.Type | protobuf.Enum;

function trimDot(name: string): string {
  return name.startsWith('.') ? name.slice(1) : name;
}

/** Package of a reflection object: the chain of plain namespaces above its outermost type. */
function packageOf(obj: protobuf.ReflectionObject): string {
  let p: protobuf.ReflectionObject | null = obj.parent;
  while (p && (p instanceof protobuf.Type || p instanceof protobuf.Enum)) p = p.parent;
  return p ? trimDot(p.fullName) : '';
}

function relativeName(obj: protobuf.ReflectionObject): string {
  const pkg = packageOf(obj);
  const full = trimDot(obj.fullName);
  return pkg ? full.slice(pkg.length + 1) : full;
}

function collect(root: protobuf.Root): { types: Map<string, Named>; packages: Set<string> } {
  const types = new Map<string, Named>();
  const packages = new Set<string>();
  const visit = (ns: protobuf.NamespaceBase): void => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type || nested instanceof protobuf.Enum) {
        types.set(trimDot(nested.fullName), nested);
        packages.add(packageOf(nested));
      }
      if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) visit(nested);
    }
  };
  visit(root);
  return { types, packages };
}

function wireCompatible(a: string, b: string): boolean {
  return WIRE_GROUPS.some((group) => group.includes(a) && group.includes(b));
}

function label(f: protobuf.Field): string {
  if (f instanceof protobuf.MapField) return `map<${f.keyType}, ${f.type}>`;
  return f.repeated ? 'repeated' : 'singular';
}

function describeReserved(r: number[] | string): string {
  return typeof r === 'string'
    ? `name "${r}"`
    : r[0] === r[1]
      ? `number ${r[0]}`
      : `numbers ${r[0]} to ${r[1]}`;
}

function isReservedId(owner: Named, id: number): boolean {
  return (
    owner.reserved?.some((r) => typeof r !== 'string' && id >= (r[0] ?? 0) && id <= (r[1] ?? 0)) ?? false
  );
}

function isReservedName(owner: Named, name: string): boolean {
  return owner.reserved?.some((r) => r === name) ?? false;
}

/**
 * Compares two resolved schemas (e.g. from `parseProto` / `loadProtoFile`) and lists every breaking change
 * (severity `error`) and wire-compatible change worth a look (`warning`). Empty list: fully compatible.
 */
export function checkCompatibility(
  oldRoot: protobuf.Root,
  newRoot: protobuf.Root,
  options: CompatibilityOptions = {},
): CompatibilityIssue[] {
  const issues: CompatibilityIssue[] = [];
  const before = collect(oldRoot);
  const after = collect(newRoot);
  const renamedPackages = [...before.packages].filter((p) => !after.packages.has(p));
  if (!options.ignorePackage) {
    for (const pkg of renamedPackages) {
      issues.push({
        code: CompatibilityIssueCodes.PACKAGE_CHANGED,
        severity: 'error',
        path: pkg || '(no package)',
        message: `package ${pkg || '(none)'} was renamed or removed: fully-qualified names of its types change`,
      });
    }
  }
  // Types of a renamed package (or any, with ignorePackage) are matched by their name inside the package.
  const byRelative = new Map<string, Named[]>();
  for (const t of after.types.values()) {
    const key = relativeName(t);
    byRelative.set(key, [...(byRelative.get(key) ?? []), t]);
  }
  const counterpart = (t: Named): Named | undefined => {
    const exact = after.types.get(trimDot(t.fullName));
    if (exact) return exact;
    if (!options.ignorePackage && !renamedPackages.includes(packageOf(t))) return undefined;
    const candidates = byRelative.get(relativeName(t)) ?? [];
    return candidates.length === 1 ? candidates[0] : undefined;
  };
  const sameType = (a: protobuf.ReflectionObject, b: protobuf.ReflectionObject): boolean =>
    counterpart(a as Named) === b;

  for (const [name, oldType] of before.types) {
    const newType = counterpart(oldType);
    const kind = oldType instanceof protobuf.Type ? 'message' : 'enum';
    if (!newType || newType.constructor !== oldType.constructor) {
      issues.push({
        code:
          kind === 'message' ? CompatibilityIssueCodes.MESSAGE_REMOVED : CompatibilityIssueCodes.ENUM_REMOVED,
        severity: 'error',
        path: name,
        message: `${kind} ${name} was renamed or removed`,
      });
      continue;
    }
    if (oldType instanceof protobuf.Type) checkMessage(oldType, newType as protobuf.Type, sameType, issues);
    else checkEnum(oldType, newType as protobuf.Enum, issues);
  }
  return issues;
}

function checkReservations(oldType: Named, newType: Named, path: string, issues: CompatibilityIssue[]): void {
  for (const r of oldType.reserved ?? []) {
    const kept =
      typeof r === 'string'
        ? isReservedName(newType, r)
        : Array.from(
            { length: Math.min((r[1] ?? 0) - (r[0] ?? 0) + 1, 10_000) },
            (_, i) => (r[0] ?? 0) + i,
          ).every((id) => isReservedId(newType, id));
    if (!kept) {
      issues.push({
        code: CompatibilityIssueCodes.RESERVATION_REMOVED,
        severity: 'warning',
        path,
        message: `${path}: reserved ${describeReserved(r)} is no longer reserved`,
      });
    }
  }
}

function checkMessage(
  oldType: protobuf.Type,
  newType: protobuf.Type,
  sameType: (a: protobuf.ReflectionObject, b: protobuf.ReflectionObject) => boolean,
  issues: CompatibilityIssue[],
): void {
  const path = trimDot(newType.fullName);
  for (const oldField of oldType.fieldsArray) {
    const at = `${path}.${oldField.name}`;
    const base = { path: at, field: oldField.name, number: oldField.id };
    const newField = newType.fieldsById[oldField.id];
    if (!newField) {
      if (!isReservedId(newType, oldField.id)) {
        issues.push({
          ...base,
          code: CompatibilityIssueCodes.FIELD_REMOVED,
          severity: 'error',
          message: `field ${oldField.name} = ${oldField.id} of ${path} was removed without reserving number ${oldField.id}`,
        });
      } else if (!isReservedName(newType, oldField.name)) {
        issues.push({
          ...base,
          code: CompatibilityIssueCodes.FIELD_NAME_NOT_RESERVED,
          severity: 'warning',
          message: `field ${oldField.name} = ${oldField.id} of ${path} was removed; its number is reserved but its name "${oldField.name}" is not`,
        });
      }
      continue;
    }
    if (label(oldField) !== label(newField)) {
      issues.push({
        ...base,
        code: CompatibilityIssueCodes.FIELD_LABEL_CHANGED,
        severity: 'error',
        message: `field ${oldField.name} = ${oldField.id} of ${path} changed from ${label(oldField)} to ${label(newField)}`,
      });
      continue;
    }
    const oldScalar = SCALARS.has(oldField.type);
    const newScalar = SCALARS.has(newField.type);
    let typeIssue: 'error' | 'warning' | undefined;
    if (oldScalar && newScalar) {
      if (oldField.type !== newField.type)
        typeIssue = wireCompatible(oldField.type, newField.type) ? 'warning' : 'error';
    } else if (oldScalar !== newScalar) {
      // enum values are varints: enum <-> int32-family keeps the wire, anything else does not
      const enumSide = oldScalar ? newField.resolvedType : oldField.resolvedType;
      const scalar = oldScalar ? oldField.type : newField.type;
      typeIssue = enumSide instanceof protobuf.Enum && wireCompatible(scalar, 'int32') ? 'warning' : 'error';
    } else if (
      oldField.resolvedType &&
      newField.resolvedType &&
      !sameType(oldField.resolvedType, newField.resolvedType)
    ) {
      typeIssue = 'error';
    }
    if (typeIssue) {
      const from = oldField.resolvedType ? trimDot(oldField.resolvedType.fullName) : oldField.type;
      const to = newField.resolvedType ? trimDot(newField.resolvedType.fullName) : newField.type;
      issues.push({
        ...base,
        code:
          typeIssue === 'error'
            ? CompatibilityIssueCodes.FIELD_TYPE_CHANGED
            : CompatibilityIssueCodes.FIELD_TYPE_WIDENED_OR_NARROWED,
        severity: typeIssue,
        message:
          typeIssue === 'error'
            ? `field number ${oldField.id} of ${path} (${oldField.name}) reused with type ${to} instead of ${from}`
            : `field ${oldField.name} = ${oldField.id} of ${path} changed type ${from} → ${to} (same wire type, values may change)`,
      });
    }
    if (newField.name !== oldField.name) {
      issues.push({
        ...base,
        code: CompatibilityIssueCodes.FIELD_RENAMED,
        severity: 'warning',
        message: `field ${oldField.id} of ${path} was renamed ${oldField.name} → ${newField.name} (JSON documents change)`,
      });
    }
  }
  for (const newField of newType.fieldsArray) {
    if (oldType.fieldsById[newField.id]) continue;
    const at = `${path}.${newField.name}`;
    if (isReservedId(oldType, newField.id)) {
      issues.push({
        path: at,
        field: newField.name,
        number: newField.id,
        code: CompatibilityIssueCodes.RESERVED_NUMBER_REUSED,
        severity: 'error',
        message: `field ${newField.name} of ${path} reuses reserved number ${newField.id}`,
      });
    }
    if (isReservedName(oldType, newField.name)) {
      issues.push({
        path: at,
        field: newField.name,
        number: newField.id,
        code: CompatibilityIssueCodes.RESERVED_NAME_REUSED,
        severity: 'error',
        message: `field ${newField.name} = ${newField.id} of ${path} reuses reserved name "${newField.name}"`,
      });
    }
  }
  checkReservations(oldType, newType, path, issues);
}

function checkEnum(oldEnum: protobuf.Enum, newEnum: protobuf.Enum, issues: CompatibilityIssue[]): void {
  const path = trimDot(newEnum.fullName);
  const newNumbers = new Set(Object.values(newEnum.values));
  for (const [name, id] of Object.entries(oldEnum.values)) {
    if (!newNumbers.has(id) && !isReservedId(newEnum, id)) {
      issues.push({
        path: `${path}.${name}`,
        field: name,
        number: id,
        code: CompatibilityIssueCodes.ENUM_VALUE_REMOVED,
        severity: 'error',
        message: `enum value ${name} = ${id} of ${path} was removed without reserving number ${id}`,
      });
    }
  }
  for (const [name, id] of Object.entries(newEnum.values)) {
    if (Object.values(oldEnum.values).includes(id)) continue;
    if (isReservedId(oldEnum, id)) {
      issues.push({
        path: `${path}.${name}`,
        field: name,
        number: id,
        code: CompatibilityIssueCodes.RESERVED_NUMBER_REUSED,
        severity: 'error',
        message: `enum value ${name} of ${path} reuses reserved number ${id}`,
      });
    }
    if (isReservedName(oldEnum, name)) {
      issues.push({
        path: `${path}.${name}`,
        field: name,
        number: id,
        code: CompatibilityIssueCodes.RESERVED_NAME_REUSED,
        severity: 'error',
        message: `enum value ${name} = ${id} of ${path} reuses reserved name "${name}"`,
      });
    }
  }
  checkReservations(oldEnum, newEnum, path, issues);
}
