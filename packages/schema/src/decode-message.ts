import { SchemaError, SchemaErrorCodes } from './errors.js';
import { describeValue } from './describe-value.js';

/** A generated protobufjs message class, as far as decoding needs it. */
interface MessageDecoder<M> {
  decode(bytes: Uint8Array): M;
}

/**
 * Decodes protobuf bytes with a generated message class, turning a non-Uint8Array input or a decode failure into
 * TRIB_SCHEMA_DECODE_FAILED naming `typeName`.
 * @throws SchemaError TRIB_SCHEMA_DECODE_FAILED when the bytes are not a valid encoding.
 */
export function decodeMessage<M>(decoder: MessageDecoder<M>, typeName: string, bytes: Uint8Array): M {
  if (!(bytes instanceof Uint8Array)) {
    throw new SchemaError(
      SchemaErrorCodes.DECODE_FAILED,
      `expected a Uint8Array, got ${describeValue(bytes)}`,
    );
  }
  try {
    return decoder.decode(bytes);
  } catch (err) {
    throw new SchemaError(
      SchemaErrorCodes.DECODE_FAILED,
      `not a valid ${typeName}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
