/**
 * Side-effect module: installs @tributary/schema's kafkajs 2.2.4 patches (faster fetch decoding and record encoding,
 * linear per-partition grouping; kafkajs' exact results) into this package's kafkajs before kafkajs loads. The
 * processor's entry points (index, cli) import this first.
 */
import { createRequire } from 'node:module';
import { installKafkajsPatches, type KafkajsPatches } from '@tributary/schema';

export const kafkajsPatches: KafkajsPatches = installKafkajsPatches(createRequire(import.meta.url));
