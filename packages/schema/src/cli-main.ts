import { parseArgs } from 'node:util';
import { clickstreamProtoPath } from './bundled-schema.js';
import { decodeClickstreamEvent } from './clickstream-event.js';
import { isCompatible } from './compatibility-issues.js';
import type { CompatibilityIssue } from './compatibility-issues.js';
import { checkCompatibility } from './compatibility.js';
import { isSchemaError } from './errors.js';
import { clickstreamEventToJSON } from './json.js';
import { loadProtoFile } from './proto-source.js';
import { decodeRegistryFrame } from './registry-frame.js';
import { validateClickstreamEvent } from './validation.js';

export const HELP = `Usage: tributary-schema <command> [options]

Commands:
  check-compat <old.proto> [new.proto]   Check that new.proto (default: the current clickstream schema) is
                                         backward compatible with old.proto. Exits 1 on a breaking change.
      --ignore-package                   Match messages by name inside their package (wire-level check,
                                         e.g. against the seed's com.example.clickstream schema)
      --strict                           Fail on warnings too (renames, wire-compatible type changes, …)
      --json                             Print the issues as JSON
  decode <hex|base64>                    Decode one ClickstreamEvent and print it as JSON with its validation
      --framed                           The bytes carry a schema-registry header (magic byte 0 + schema id)
      --encoding <hex|base64>            Encoding of the argument (default: hex)
  schema-path                            Print the path of the current clickstream .proto

Options:
  -h, --help                             Show this help

Exit codes: 0 ok, 1 incompatible schema or invalid event, 2 bad usage or unreadable input.
`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

class UsageError extends Error {}

function formatIssue(issue: CompatibilityIssue): string {
  return `${issue.severity.toUpperCase()} ${issue.code}: ${issue.message}`;
}

function checkCompat(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'ignore-package': { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length < 1 || positionals.length > 2) {
    throw new UsageError('check-compat needs <old.proto> and optionally <new.proto>');
  }
  const oldPath = positionals[0]!;
  const newPath = positionals[1] ?? clickstreamProtoPath();
  const issues = checkCompatibility(loadProtoFile(oldPath), loadProtoFile(newPath), {
    ignorePackage: values['ignore-package'],
  });
  const ok = values.strict ? issues.length === 0 : isCompatible(issues);
  if (values.json)
    io.out(JSON.stringify({ compatible: ok, old: oldPath, new: newPath, issues }, null, 2) + '\n');
  else {
    for (const issue of issues) (issue.severity === 'error' ? io.err : io.out)(formatIssue(issue) + '\n');
    const errors = issues.filter((i) => i.severity === 'error').length;
    const summary = `${newPath} is ${ok ? '' : 'NOT '}backward compatible with ${oldPath} (${errors} error(s), ${issues.length - errors} warning(s))\n`;
    (ok ? io.out : io.err)(summary);
  }
  return ok ? 0 : 1;
}

function decode(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      framed: { type: 'boolean', default: false },
      encoding: { type: 'string', default: 'hex' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('decode needs exactly one <hex|base64> argument');
  const text = positionals[0]!;
  let bytes: Uint8Array;
  if (values.encoding === 'hex') {
    if (!/^([0-9a-fA-F]{2})*$/.test(text))
      throw new UsageError('decode: argument is not hex (pairs of 0-9a-f)');
    bytes = Buffer.from(text, 'hex');
  } else if (values.encoding === 'base64') {
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw new UsageError('decode: argument is not base64');
    bytes = Buffer.from(text, 'base64');
  } else {
    throw new UsageError(`--encoding must be hex or base64, got ${JSON.stringify(values.encoding)}`);
  }
  let schemaId: number | undefined;
  if (values.framed) {
    const frame = decodeRegistryFrame(bytes);
    schemaId = frame.schemaId;
    bytes = frame.payload;
  }
  const event = decodeClickstreamEvent(bytes);
  const result = validateClickstreamEvent(event);
  io.out(
    JSON.stringify(
      {
        ...(schemaId === undefined ? {} : { schema_id: schemaId }),
        event: clickstreamEventToJSON(event),
        valid: result.ok,
        ...(result.ok ? {} : { error: { code: result.error.code, reason: result.error.reason } }),
      },
      null,
      2,
    ) + '\n',
  );
  return result.ok ? 0 : 1;
}

/** Runs the CLI with `args` (without node and script) and returns the exit code. */
export function runCli(args: string[], io: CliIo): number {
  const [command, ...rest] = args;
  try {
    if (
      command === undefined ||
      command === '-h' ||
      command === '--help' ||
      rest.includes('--help') ||
      rest.includes('-h')
    ) {
      if (command === undefined) {
        io.err(HELP);
        return 2;
      }
      io.out(HELP);
      return 0;
    }
    switch (command) {
      case 'check-compat':
        return checkCompat(rest, io);
      case 'decode':
        return decode(rest, io);
      case 'schema-path':
        if (rest.length > 0) throw new UsageError('schema-path takes no arguments');
        io.out(clickstreamProtoPath() + '\n');
        return 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`tributary-schema: ${(err as Error).message}\nRun tributary-schema --help for usage.\n`);
      return 2;
    }
    if (isSchemaError(err)) {
      io.err(`tributary-schema: ${err.message}\n`);
      return err.code === 'TRIB_SCHEMA_PARSE_FAILED' ? 2 : 1;
    }
    throw err;
  }
}
