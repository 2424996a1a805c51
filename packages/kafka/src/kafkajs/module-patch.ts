/**
 * Replacing a kafkajs 2.2.4 module's exports in the CommonJS module cache (internal to the kafkajs patches).
 */

const PATCHED = Symbol.for('tributary.kafkajs-patch');

/** The only kafkajs version whose module layout and code the patches were written and tested against. */
export const SUPPORTED_KAFKAJS = '2.2.4';

/** True when `require` resolves kafkajs 2.2.4. */
export function supportedKafkajs(require: NodeJS.Require): boolean {
  try {
    return (require('kafkajs/package.json') as { version: string }).version === SUPPORTED_KAFKAJS;
  } catch {
    return false;
  }
}

/**
 * Replaces the exports of kafkajs' module `path` with `replacement(original)`, unless a module of `keptBy` (those
 * that keep a reference to it) is loaded already. Returns whether the replacement is in place — also when an earlier call (from
 * another package sharing this kafkajs) put it there.
 */
export function patchKafkajsModule<T extends object>(
  require: NodeJS.Require,
  path: string,
  keptBy: string | readonly string[],
  replacement: (original: T) => T,
): boolean {
  try {
    const resolved = require.resolve(path);
    const current = require.cache[resolved]?.exports as Record<symbol, unknown> | undefined;
    if (current?.[PATCHED] === true) return true;
    for (const holder of typeof keptBy === 'string' ? [keptBy] : keptBy) {
      if (require.cache[require.resolve(holder)] !== undefined) return false;
    }
    const original = require(resolved) as T;
    const cached = require.cache[resolved];
    if (cached === undefined) return false;
    const patched = replacement(original);
    Object.defineProperty(patched, PATCHED, { value: true });
    cached.exports = patched;
    return true;
  } catch {
    return false;
  }
}

/** True when the module cache holds a replacement made by `patchKafkajsModule` for kafkajs' module `path`. */
export function isPatchedKafkajsModule(require: NodeJS.Require, path: string): boolean {
  try {
    const exports = require.cache[require.resolve(path)]?.exports as Record<symbol, unknown> | undefined;
    return exports?.[PATCHED] === true;
  } catch {
    return false;
  }
}
