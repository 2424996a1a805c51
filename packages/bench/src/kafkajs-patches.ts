/**
 * Side-effect module: installs @tributary/schema's kafkajs 2.2.4 patches into the bench's kafkajs before kafkajs
 * loads — above all the read_committed fix, so the bench's observer of the results topic never sees a record of an
 * aborted transaction (kafkajs 2.2.4 as shipped can). The bench's entry points import this first.
 */
import { createRequire } from 'node:module';
import { installKafkajsPatches, type KafkajsPatches } from '@tributary/schema';

export const kafkajsPatches: KafkajsPatches = installKafkajsPatches(createRequire(import.meta.url));
