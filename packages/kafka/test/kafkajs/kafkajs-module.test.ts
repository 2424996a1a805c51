import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The fixes take effect only when installed before kafkajs loads, and the module cache is per process: each case runs
// in a fresh Node process importing the built package as an application does (npm test builds first).
const KAFKA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'index.js');

const REPLACED = [
  'consumer/filterAbortedMessages.js',
  'producer/groupMessagesPerPartition.js',
  'consumer/batch.js',
  'protocol/recordBatch/v0/decoder.js',
  'protocol/recordBatch/record/v0/index.js',
  'protocol/requests/produce/v3/request.js',
  'admin/index.js',
  'producer/eosManager/index.js',
];

function freshProcess(body: string, env: NodeJS.ProcessEnv = {}): Record<string, unknown> {
  const script =
    `const { createRequire } = await import('node:module');` +
    `const require = createRequire(${JSON.stringify(KAFKA)});` +
    `const loadedKafkajs = () => Object.keys(require.cache).filter((p) => p.includes('/node_modules/kafkajs/src/')).length;` +
    `const replaced = () => ${JSON.stringify(REPLACED)}.map((m) => require.cache[require.resolve('kafkajs/src/' + m)]` +
    `?.exports[Symbol.for('tributary.kafkajs-patch')] === true);` +
    `const out = {};` +
    body +
    `console.log(JSON.stringify(out));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TRIBUTARY_KAFKAJS_DECODING: '', TRIBUTARY_KAFKAJS_ENCODING: '', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim()) as Record<string, unknown>;
}

const LOAD =
  `const kafka = await import(${JSON.stringify(KAFKA)});` +
  `out.afterImport = loadedKafkajs();` +
  `const kafkajs = kafka.loadKafkajs();` +
  `out.same = kafkajs === require('kafkajs') && kafka.loadKafkajs() === kafkajs;` +
  `out.patches = kafka.kafkajsPatches();` +
  `out.replaced = replaced();` +
  `out.gzipCapped = kafkajs.CompressionCodecs[kafkajs.CompressionTypes.GZIP]()[Symbol.for('tributary.capped-gzip-codec')] === true;` +
  `const admin = kafka.createKafkaClient({ brokers: ['localhost:1'], clientId: 'x' }).admin();` +
  `out.adminCluster = typeof admin[Symbol.for('tributary.kafkajs-admin-cluster')]?.findGroupCoordinator;`;

describe('loadKafkajs', () => {
  it('importing @tributary/kafka loads no kafkajs module; loadKafkajs installs every fix, then kafkajs, once', () => {
    expect(freshProcess(LOAD)).toEqual({
      afterImport: 0,
      same: true,
      patches: {
        abortedTransactions: true,
        fetchDecoding: { recordBatchDecoder: true, batch: true },
        recordEncoding: true,
        produceRequest: true,
        linearGrouping: true,
        gzipCap: true,
        coordinatorCache: true,
        adminCluster: true,
      },
      replaced: [true, true, true, true, true, true, true, true],
      gzipCapped: true,
      adminCluster: 'function',
    });
  });

  it('TRIBUTARY_KAFKAJS_DECODING / _ENCODING=kafkajs keep kafkajs’ own decoding and encoding, never its read_committed filter', () => {
    const out = freshProcess(LOAD, {
      TRIBUTARY_KAFKAJS_DECODING: 'kafkajs',
      TRIBUTARY_KAFKAJS_ENCODING: 'kafkajs',
    });
    expect(out).toMatchObject({
      patches: {
        abortedTransactions: true,
        fetchDecoding: { recordBatchDecoder: false, batch: false },
        recordEncoding: false,
        produceRequest: false,
        linearGrouping: true,
        gzipCap: true,
        coordinatorCache: true,
        adminCluster: true,
      },
      replaced: [true, true, false, false, false, false, true, true],
    });
  });

  it('fails naming the cause when kafkajs was loaded before, and createKafkaClient fails the same way', () => {
    const out = freshProcess(
      `require('kafkajs');` +
        `const kafka = await import(${JSON.stringify(KAFKA)});` +
        `for (const [name, call] of [['load', () => kafka.loadKafkajs()],` +
        ` ['client', () => kafka.createKafkaClient({ brokers: ['localhost:1'], clientId: 'x' })]]) {` +
        ` try { call(); out[name] = 'no error'; } catch (e) { out[name] = { code: e.code, message: e.message }; } }`,
    );
    const expected = {
      code: 'TRIB_KAFKA_KAFKAJS_NOT_FIXABLE',
      message: expect.stringMatching(
        /^TRIB_KAFKA_KAFKAJS_NOT_FIXABLE: the read_committed filter, per-partition grouping, fetched batch, admin cluster handle fixes are not in place: kafkajs was loaded before @tributary\/kafka could install them \(kafkajs\/index\.js was already loaded\); load kafkajs only through @tributary\/kafka/,
      ),
    };
    expect(out).toEqual({ load: expected, client: expected });
  });

  it('a bad TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES fails naming the variable, before anything is installed', () => {
    const out = freshProcess(
      `const kafka = await import(${JSON.stringify(KAFKA)});` +
        `try { kafka.loadKafkajs(); } catch (e) { out.code = e.code; out.message = e.message; }` +
        `out.loaded = loadedKafkajs();`,
      { TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES: '12abc' },
    );
    expect(out).toEqual({
      code: 'TRIB_KAFKA_INVALID_OPTION',
      message: expect.stringContaining('TRIBUTARY_KAFKAJS_MAX_DECOMPRESSED_BATCH_BYTES must be an integer'),
      loaded: 0,
    });
  });
});
