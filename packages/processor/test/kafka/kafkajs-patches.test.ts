import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The patches only take effect when installed before kafkajs loads, so this checks a fresh Node process that imports
// the built package the way a user's job does (npm test builds first).
const INDEX = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'index.js');

function patchesOfFreshImport(env: NodeJS.ProcessEnv = {}): unknown {
  const script =
    `const m = await import(${JSON.stringify(INDEX)});` +
    `const { createRequire } = await import('node:module');` +
    `const require = createRequire(${JSON.stringify(INDEX)});` +
    `const decoder = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');` +
    `const batch = require('kafkajs/src/consumer/batch.js');` +
    `const grouping = require('kafkajs/src/producer/groupMessagesPerPartition.js');` +
    `const record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');` +
    // what kafkajs' consumer and producer will call: ours (by a name only our sources use) or kafkajs' own
    `console.log(JSON.stringify({ ...m.kafkajsPatches, kafkajsLoaded: typeof require('kafkajs').Kafka,` +
    ` modules: [String(decoder).includes('k.PartialMessageError'), String(batch).includes('messagesFrom'),` +
    ` !String(grouping).includes('...current'), String(record).includes('allocUnsafe')] }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TRIBUTARY_KAFKAJS_DECODING: '', TRIBUTARY_KAFKAJS_ENCODING: '', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim());
}

describe('kafkajs patches installed by @tributary/processor', () => {
  it('are in place after `import "@tributary/processor"` in a fresh process', () => {
    expect(patchesOfFreshImport()).toEqual({
      fetchDecoding: { recordBatchDecoder: true, batch: true },
      recordEncoding: true,
      linearGrouping: true,
      kafkajsLoaded: 'function',
      modules: [true, true, true, true],
    });
  });

  it('TRIBUTARY_KAFKAJS_DECODING / _ENCODING=kafkajs keep kafkajs’ own fetch decoding and record encoding', () => {
    const env = { TRIBUTARY_KAFKAJS_DECODING: 'kafkajs', TRIBUTARY_KAFKAJS_ENCODING: 'kafkajs' };
    expect(patchesOfFreshImport(env)).toEqual({
      fetchDecoding: { recordBatchDecoder: false, batch: false },
      recordEncoding: false,
      linearGrouping: true,
      kafkajsLoaded: 'function',
      modules: [false, false, true, false],
    });
  });
});
