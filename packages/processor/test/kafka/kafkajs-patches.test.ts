import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The patches only take effect when installed before kafkajs loads, so this checks fresh Node processes that import
// the built packages the way a user's job does (npm test builds first): @tributary/processor, and @tributary/es-sink
// (its connector's consumer), alone and one after the other (the second finds the patches in place).
const PROCESSOR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'index.js');
const ES_SINK = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'es-sink',
  'dist',
  'index.js',
);

function patchesOfFreshImport(entries: string[], env: NodeJS.ProcessEnv = {}): unknown {
  const script =
    `let m; for (const e of ${JSON.stringify(entries)}) m = await import(e);` +
    `const { createRequire } = await import('node:module');` +
    `const require = createRequire(${JSON.stringify(PROCESSOR)});` +
    `const decoder = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');` +
    `const batch = require('kafkajs/src/consumer/batch.js');` +
    `const grouping = require('kafkajs/src/producer/groupMessagesPerPartition.js');` +
    `const record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');` +
    `const produce = require('kafkajs/src/protocol/requests/produce/v3/request.js');` +
    `const filter = require('kafkajs/src/consumer/filterAbortedMessages.js');` +
    // what kafkajs' consumer and producer will call: ours (by a name only our sources use) or kafkajs' own
    `console.log(JSON.stringify({ ...m.kafkajsPatches, kafkajsLoaded: typeof require('kafkajs').Kafka,` +
    ` modules: [String(decoder).includes('k.PartialMessageError'), String(batch).includes('messagesFrom'),` +
    ` !String(grouping).includes('...current'), String(record).includes('allocUnsafe'),` +
    ` String(produce).includes('k.apiKey'), filter.name === 'bound filterAbortedTransactions'] }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TRIBUTARY_KAFKAJS_DECODING: '', TRIBUTARY_KAFKAJS_ENCODING: '', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim());
}

const ALL_IN_PLACE = {
  abortedTransactions: true,
  fetchDecoding: { recordBatchDecoder: true, batch: true },
  recordEncoding: true,
  produceRequest: true,
  linearGrouping: true,
  kafkajsLoaded: 'function',
  modules: [true, true, true, true, true, true],
};

describe('kafkajs patches installed by the packages that use kafkajs', () => {
  it.each([
    ['@tributary/processor', [PROCESSOR]],
    ['@tributary/es-sink', [ES_SINK]],
    ['@tributary/es-sink, then @tributary/processor', [ES_SINK, PROCESSOR]],
  ])('are in place after importing %s in a fresh process', (_name, entries) => {
    expect(patchesOfFreshImport(entries)).toEqual(ALL_IN_PLACE);
  });

  it('TRIBUTARY_KAFKAJS_DECODING / _ENCODING=kafkajs keep kafkajs’ own fetch decoding and record encoding (not its read_committed filter)', () => {
    const env = { TRIBUTARY_KAFKAJS_DECODING: 'kafkajs', TRIBUTARY_KAFKAJS_ENCODING: 'kafkajs' };
    expect(patchesOfFreshImport([PROCESSOR], env)).toEqual({
      abortedTransactions: true,
      fetchDecoding: { recordBatchDecoder: false, batch: false },
      recordEncoding: false,
      produceRequest: false,
      linearGrouping: true,
      kafkajsLoaded: 'function',
      modules: [false, false, true, false, false, true],
    });
  });
});
