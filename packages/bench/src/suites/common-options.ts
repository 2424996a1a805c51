import { option, z } from '@tributary/options';

/** Options several suites share, each declared once. */

export const BROKERS = option(
  z
    .array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port'))
    .min(1)
    .default(['127.0.0.1:9092']),
  'Kafka bootstrap servers',
  { env: 'TRIBUTARY_BROKERS' },
);

export const BASELINE = option(
  z.string().min(1).optional(),
  'another checkout of this repository, built (npm ci && npx nx run-many -t build there): its packages run ' +
    'side by side with these in the same rounds, reported as ratios',
  { placeholder: '<dir>' },
);

/** A positive integer (at least `min`) with a default. */
export const count = (defaultValue: number, help: string, min = 1) =>
  option(z.int().min(min).default(defaultValue), help);

/** Where the results JSON goes. */
export const resultsFile = (name: string) =>
  option(z.string().min(1).default(`bench-results/${name}.json`), 'results JSON', {
    placeholder: '<file>',
  });
