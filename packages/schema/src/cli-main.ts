import { defineOptions, option, z } from '@tributary/options';
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

class UsageError extends Error {}

/** Each command parses its own flags: another command's flag is rejected naming the command; bad usage exits 2. */
const commandSettings = (command: string) => ({
  component: `tributary-schema ${command}`,
  invalid: (name: string, message: string) => new UsageError(`${name} ${message}`),
});

/** A flag that is off unless given (no environment variable). */
const flag = (help: string) => option(z.boolean().default(false), help, { env: false });

/** Flags of `check-compat`. */
const CHECK_COMPAT_OPTIONS = defineOptions(
  {
    ignorePackage: flag('(check-compat) match messages by name inside their package (wire-level check)'),
    strict: flag('(check-compat) fail on warnings too (renames, wire-compatible type changes, …)'),
    json: flag('(check-compat) print the issues as JSON'),
  },
  commandSettings('check-compat'),
);

/** Flags of `decode`. */
const DECODE_OPTIONS = defineOptions(
  {
    framed: flag('(decode) the bytes carry a schema-registry header (magic byte 0 + schema id)'),
    encoding: option(
      z.enum(['hex', 'base64'], 'must be hex or base64').default('hex'),
      '(decode) encoding of the argument',
      { env: false },
    ),
  },
  commandSettings('decode'),
);

export const HELP = `${CHECK_COMPAT_OPTIONS.extend(DECODE_OPTIONS.specs).help({
  usage: 'tributary-schema <command> [options]',
  description: `Commands:
  check-compat <old.proto> [new.proto]   Check that new.proto (default: the current clickstream schema) is
                                         backward compatible with old.proto. Exits 1 on a breaking change.
  decode <hex|base64>                    Decode one ClickstreamEvent and print it as JSON with its validation
  schema-path                            Print the path of the current clickstream .proto`,
  optionsTitle: 'Options (-h, --help shows this help):',
  epilogue: 'Exit codes: 0 ok, 1 incompatible schema or invalid event, 2 bad usage or unreadable input.',
})}
`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

function formatIssue(issue: CompatibilityIssue): string {
  return `${issue.severity.toUpperCase()} ${issue.code}: ${issue.message}`;
}

function checkCompat(args: string[], io: CliIo): number {
  const { values, positionals } = CHECK_COMPAT_OPTIONS.parseCommandLine(args, { env: {} });
  if (positionals.length < 1 || positionals.length > 2) {
    throw new UsageError('check-compat needs <old.proto> and optionally <new.proto>');
  }
  const oldPath = positionals[0]!;
  const newPath = positionals[1] ?? clickstreamProtoPath();
  const issues = checkCompatibility(loadProtoFile(oldPath), loadProtoFile(newPath), {
    ignorePackage: values.ignorePackage,
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
  const { values, positionals } = DECODE_OPTIONS.parseCommandLine(args, { env: {} });
  if (positionals.length !== 1) throw new UsageError('decode needs exactly one <hex|base64> argument');
  const text = positionals[0]!;
  let bytes: Uint8Array;
  if (values.encoding === 'hex') {
    if (!/^([0-9a-fA-F]{2})*$/.test(text))
      throw new UsageError('decode: argument is not hex (pairs of 0-9a-f)');
    bytes = Buffer.from(text, 'hex');
  } else {
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw new UsageError('decode: argument is not base64');
    bytes = Buffer.from(text, 'base64');
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
    if (err instanceof UsageError) {
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
