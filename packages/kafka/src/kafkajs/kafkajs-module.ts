/**
 * The one way Tributary loads kafkajs: the fixes first (`installKafkajsPatches`), then kafkajs itself, checked by
 * module identity — every fix that should be in place is the module kafkajs' consumer and producer hold. Nothing
 * happens on import: the first `loadKafkajs()` (which `createKafkaClient` calls) does it, later calls return the
 * same module.
 */
import { createRequire } from 'node:module';
import type * as Kafkajs from 'kafkajs';
import { KafkaError, KafkaErrorCodes } from '../errors.js';
import { isPatchedKafkajsModule, SUPPORTED_KAFKAJS } from './module-patch.js';
import { installKafkajsPatches, type KafkajsPatches } from './patches.js';

/** The kafkajs module, as `import * as kafkajs from 'kafkajs'` types it. */
export type KafkajsModule = typeof Kafkajs;

const ownRequire = createRequire(import.meta.url);

let loaded: { module: KafkajsModule; patches: KafkajsPatches } | undefined;

/** A fix, the kafkajs module it replaces, and whether it is expected under the environment's switches. */
interface ExpectedFix {
  name: string;
  module: string;
  expected: (env: NodeJS.ProcessEnv) => boolean;
}

const always = (): boolean => true;
const decoding = (env: NodeJS.ProcessEnv): boolean => env.TRIBUTARY_KAFKAJS_DECODING !== 'kafkajs';
const encoding = (env: NodeJS.ProcessEnv): boolean => env.TRIBUTARY_KAFKAJS_ENCODING !== 'kafkajs';

/** Every module the fixes replace. The read_committed filter and the grouping are fixes no switch turns off. */
const FIXES: readonly ExpectedFix[] = [
  {
    name: 'read_committed filter',
    module: 'kafkajs/src/consumer/filterAbortedMessages.js',
    expected: always,
  },
  {
    name: 'per-partition grouping',
    module: 'kafkajs/src/producer/groupMessagesPerPartition.js',
    expected: always,
  },
  { name: 'fetched batch', module: 'kafkajs/src/consumer/batch.js', expected: decoding },
  {
    name: 'record-batch decoder',
    module: 'kafkajs/src/protocol/recordBatch/v0/decoder.js',
    expected: decoding,
  },
  {
    name: 'record encoder',
    module: 'kafkajs/src/protocol/recordBatch/record/v0/index.js',
    expected: encoding,
  },
  { name: 'admin cluster handle', module: 'kafkajs/src/admin/index.js', expected: always },
  {
    name: 'Produce request',
    module: 'kafkajs/src/protocol/requests/produce/v3/request.js',
    expected: encoding,
  },
];

/**
 * kafkajs 2.2.4 with Tributary's fixes in place (the Java consumer's read_committed filter, the decompression cap,
 * a partition missing from the metadata refused instead of dropped, the faster record coding unless
 * `TRIBUTARY_KAFKAJS_DECODING` / `_ENCODING` say `kafkajs`). Throws `TRIB_KAFKA_KAFKAJS_NOT_FIXABLE` naming the cause
 * when a fix cannot be put in place: kafkajs is another version, or a module a fix replaces was loaded before
 * (kafkajs imported directly, not through this package), and `TRIB_KAFKA_INVALID_OPTION` for a bad
 * `TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES`.
 */
export function loadKafkajs(env: NodeJS.ProcessEnv = process.env): KafkajsModule {
  if (loaded !== undefined) return loaded.module;
  const version = kafkajsVersion();
  if (version !== SUPPORTED_KAFKAJS) {
    throw new KafkaError(
      KafkaErrorCodes.KAFKAJS_NOT_FIXABLE,
      `@tributary/kafka needs kafkajs ${SUPPORTED_KAFKAJS}, found ${version ?? 'none'}: install kafkajs@${SUPPORTED_KAFKAJS}`,
    );
  }
  const loadedBefore = loadedKafkajsModules();
  const patches = installKafkajsPatches(ownRequire, env);
  const module = ownRequire('kafkajs') as KafkajsModule;
  const missing = FIXES.filter((fix) => fix.expected(env) && !isPatchedKafkajsModule(ownRequire, fix.module));
  if (!patches.gzipCap)
    missing.push({
      name: 'GZIP decompression cap',
      module: 'kafkajs/src/protocol/message/compression/gzip.js',
      expected: always,
    });
  if (missing.length > 0) {
    const first = loadedBefore[0];
    throw new KafkaError(
      KafkaErrorCodes.KAFKAJS_NOT_FIXABLE,
      `the ${missing.map((fix) => fix.name).join(', ')} fix${missing.length === 1 ? ' is' : 'es are'} not in place: ` +
        (first === undefined
          ? 'kafkajs does not hold the replaced modules'
          : `kafkajs was loaded before @tributary/kafka could install them (${first} was already loaded); ` +
            'load kafkajs only through @tributary/kafka (createKafkaClient or loadKafkajs), never with import from "kafkajs"'),
    );
  }
  loaded = { module, patches };
  return module;
}

/** Which fixes `loadKafkajs` put in place (undefined before its first call). */
export function kafkajsPatches(): KafkajsPatches | undefined {
  return loaded?.patches;
}

function kafkajsVersion(): string | undefined {
  try {
    return (ownRequire('kafkajs/package.json') as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** kafkajs' own modules in the module cache now, relative to the package (`kafkajs/src/…`). */
function loadedKafkajsModules(): string[] {
  const root = ownRequire.resolve('kafkajs/package.json').slice(0, -'package.json'.length);
  return Object.keys(ownRequire.cache)
    .filter((path) => path.startsWith(root) && !path.endsWith('package.json'))
    .map((path) => `kafkajs/${path.slice(root.length)}`);
}
