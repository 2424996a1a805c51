import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of the schema inside the proto root (the single source of the generated code). */
export const CLICKSTREAM_PROTO_FILE = 'tributary/clickstream/v1/clickstream.proto';

/**
 * Absolute path of the current clickstream .proto: `dist/proto/…` in an installed package (the build copies it
 * there), `proto/…` in the repository.
 */
export function clickstreamProtoPath(): string {
  for (const base of ['./proto/', '../proto/']) {
    const path = fileURLToPath(new URL(base + CLICKSTREAM_PROTO_FILE, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`${CLICKSTREAM_PROTO_FILE} not found next to ${fileURLToPath(import.meta.url)}`);
}
