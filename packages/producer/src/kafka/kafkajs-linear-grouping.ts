/**
 * Side-effect module: installs @tributary/schema's linear per-partition grouping into this package's kafkajs 2.2.4
 * (see `installLinearGrouping`). Imported before anything that loads kafkajs (the sender thread's entry does).
 */
import { createRequire } from 'node:module';
import { installLinearGrouping } from '@tributary/schema';

export const linearGroupingInstalled = installLinearGrouping(createRequire(import.meta.url));
