/**
 * `@tributary/processor/testing`: run a stream job without a broker (Kafka Streams' TopologyTestDriver).
 */
export { JobTestDriver, QUIET_ROUNDS_BEFORE_JUMP, QUIET_ROUNDS_BEFORE_STRIDE } from './job-test-driver.js';
export type { TestJobOptions, TestRecordInput, TestRecord, TestChangelogEntry } from './job-test-driver.js';
export { JOB_TEST_DRIVER_OPTIONS } from './job-test-driver-options.js';
export type { JobTestDriverOptions } from './job-test-driver-options.js';
