import { defineConfig } from 'vitest/config';

/**
 * Three projects:
 * - unit: pure logic, no servers, runs in parallel.
 * - integration: `*.integration.test.ts`, talks to the real Kafka and Elasticsearch that the devstack starts
 *   (or reuses) in the global setup; files run one at a time so tests do not compete for two cores.
 * - packaging: packs every package, installs each alone into an empty project, imports it and runs its bin.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**', '**/dist/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'packaging',
          include: ['test/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.integration.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: ['./test/devstack-global-setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
