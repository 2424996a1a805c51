import protobuf from 'protobufjs';
import { SchemaError, SchemaErrorCodes } from './errors.js';

/** Options for reading .proto sources: field names are kept as written (snake_case) for readable reports. */
const PARSE_OPTIONS = { keepCase: true } as const;

/**
 * Parses .proto source text into a resolved protobufjs Root (protobufjs's own parser).
 * @throws SchemaError TRIB_SCHEMA_PARSE_FAILED with the parser's message.
 */
export function parseProto(source: string, filename = 'input.proto'): protobuf.Root {
  try {
    const root = protobuf.parse(source, new protobuf.Root(), PARSE_OPTIONS).root;
    root.resolveAll();
    return root;
  } catch (err) {
    throw new SchemaError(
      SchemaErrorCodes.PARSE_FAILED,
      `cannot parse ${filename}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

/**
 * Loads a .proto file and its imports from disk into a resolved Root.
 * @throws SchemaError TRIB_SCHEMA_PARSE_FAILED when the file is missing or invalid.
 */
export function loadProtoFile(path: string): protobuf.Root {
  try {
    const root = new protobuf.Root().loadSync(path, PARSE_OPTIONS);
    root.resolveAll();
    return root;
  } catch (err) {
    throw new SchemaError(SchemaErrorCodes.PARSE_FAILED, `cannot load ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
