import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { apiKey } from './gateway-options.js';
import { invalidOption } from '../errors.js';

/** What {@link ApiKeyAuth.check} decides: the request may go on, or 401 with this `WWW-Authenticate`. */
export type AuthOutcome = { ok: true } | { ok: false; reason: string; wwwAuthenticate: string };

const REALM = 'tributary-ingest';
const digest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/**
 * API-key authentication: a request passes when it carries one of the keys, as `Authorization: Bearer <key>` or
 * `X-API-Key: <key>`. Keys are kept as SHA-256 digests and a presented key is compared with every one of them by
 * `timingSafeEqual` over the fixed-length digests, without stopping at a match: the time taken tells nothing
 * about the keys. Without keys every request passes.
 */
export class ApiKeyAuth {
  readonly #digests: readonly Buffer[];

  constructor(keys: readonly string[]) {
    this.#digests = [...new Set(keys)].map(digest);
  }

  /** Whether any key is configured (authentication is on). */
  get enabled(): boolean {
    return this.#digests.length > 0;
  }

  check(headers: IncomingHttpHeaders): AuthOutcome {
    if (!this.enabled) return { ok: true };
    const presented = presentedKeys(headers);
    if (presented.length === 0)
      return {
        ok: false,
        reason: 'an API key is required (Authorization: Bearer <key> or X-API-Key)',
        wwwAuthenticate: `Bearer realm="${REALM}"`,
      };
    let matched = false;
    for (const key of presented) {
      const candidate = digest(key);
      for (const known of this.#digests) matched = timingSafeEqual(candidate, known) || matched;
    }
    return matched
      ? { ok: true }
      : {
          ok: false,
          reason: 'the API key is not valid',
          wwwAuthenticate: `Bearer realm="${REALM}", error="invalid_token"`,
        };
  }
}

/** The keys a request presents: the Bearer token of `Authorization` and the `X-API-Key` header, when present. */
function presentedKeys(headers: IncomingHttpHeaders): string[] {
  const keys: string[] = [];
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (match !== null) keys.push(match[1]!);
  }
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header !== '') keys.push(header.trim());
  return keys;
}

/**
 * The keys of `apiKeys` and of the lines of `apiKeysFile` (blank lines and `#` comments skipped), read at start-up.
 * An unreadable file, a file without keys or a malformed line fails naming the option and the line, never the key.
 */
export function loadApiKeys(
  o: { apiKeys?: readonly string[] | undefined; apiKeysFile?: string | undefined },
  read: (path: string) => string,
): string[] {
  const keys = [...(o.apiKeys ?? [])];
  if (o.apiKeysFile === undefined) return keys;
  let text: string;
  try {
    text = read(o.apiKeysFile);
  } catch (cause) {
    throw invalidOption('apiKeysFile', `cannot be read: ${(cause as Error).message}`);
  }
  let found = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parsed = apiKey.safeParse(line);
    if (!parsed.success)
      throw invalidOption(
        'apiKeysFile',
        `line ${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid key'}`,
      );
    keys.push(line);
    found++;
  });
  if (found === 0) throw invalidOption('apiKeysFile', `holds no key (${o.apiKeysFile})`);
  return keys;
}
