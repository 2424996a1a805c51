import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * One flat config for every package. @tributary/options (how each component declares its options) is under
 * everything and imports no @tributary package. Layering: schema <- kafka <- producer, processor, es-sink <- bench; devstack
 * uses kafka only. @tributary/observability (the logger factory and the /metrics + /health server) imports no
 * @tributary package and every package but schema (which knows no I/O) may use it. @tributary/dashboard reads a job's
 * metrics and Elasticsearch: it may use schema, observability and es-sink (the one home of the Elasticsearch
 * connection options and client set-up, as @tributary/kafka is Kafka's), and only the processor's reference app embeds it.
 * kafkajs is imported by @tributary/kafka alone: it installs its fixes before kafkajs loads, which an import of
 * kafkajs anywhere else could prevent (types included: they come from @tributary/kafka too).
 */
const ALL = [
  '@tributary/options',
  '@tributary/schema',
  '@tributary/kafka',
  '@tributary/observability',
  '@tributary/producer',
  '@tributary/processor',
  '@tributary/es-sink',
  '@tributary/dashboard',
  '@tributary/bench',
  '@tributary/devstack',
];
const except = (...allowed) => ALL.filter((name) => !allowed.includes(name.slice('@tributary/'.length)));
const layering = {
  options: except(),
  schema: except('options'),
  kafka: except('options', 'schema', 'observability'),
  observability: except('options'),
  devstack: except('options', 'kafka', 'observability'),
  producer: except('options', 'schema', 'kafka', 'observability'),
  processor: except('options', 'schema', 'kafka', 'observability', 'es-sink', 'dashboard'),
  'es-sink': except('options', 'schema', 'kafka', 'observability'),
  dashboard: except('options', 'schema', 'observability', 'es-sink'),
  bench: [],
};

/**
 * The processor's engine, runtime, config and metrics know neither Elasticsearch nor the dashboard: only the
 * reference app (`src/app`), its options (`src/config/processor-config.ts`, which take the Elasticsearch connection
 * options from es-sink) and its bin (`src/cli.ts`) compose the job with the connector and the dashboard. The DSL's
 * Elasticsearch sink (`StreamPlan.toElasticsearch`) composes a job with the connector too, never with the dashboard.
 */
const PROCESSOR_APP_ONLY = ['@tributary/es-sink', '@tributary/dashboard'];
const PROCESSOR_DSL_SINK = [
  'packages/processor/src/dsl/elasticsearch-sink.ts',
  'packages/processor/src/dsl/windowed-result-documents.ts',
];

const KAFKAJS_ONLY_IN_KAFKA = {
  name: 'kafkajs',
  message: 'Only @tributary/kafka imports kafkajs: use createKafkaClient / loadKafkajs and its type exports.',
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', 'packages/schema/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object instead of enum.' },
      ],
    },
  },
  ...Object.entries(layering).flatMap(([pkg, forbidden]) => {
    const rule = (extra = []) => ({
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...forbidden.map((name) => ({
              name,
              message: `packages/${pkg} must not depend on ${name} (package layering).`,
            })),
            ...extra,
            ...(pkg === 'kafka' ? [] : [KAFKAJS_ONLY_IN_KAFKA]),
          ],
          patterns: [
            { group: ['@tributary/*/*'], message: 'Deep imports are blocked: import from the package root.' },
          ],
        },
      ],
    });
    const configs = [{ files: [`packages/${pkg}/src/**/*.ts`], rules: rule() }];
    if (pkg === 'processor')
      configs.push({
        files: ['packages/processor/src/**/*.ts'],
        ignores: [
          'packages/processor/src/app/**',
          'packages/processor/src/config/processor-config.ts',
          'packages/processor/src/cli.ts',
          ...PROCESSOR_DSL_SINK,
        ],
        rules: rule(
          PROCESSOR_APP_ONLY.map((name) => ({
            name,
            message: `only the processor's reference app (src/app, its options, src/cli.ts) may import ${name}.`,
          })),
        ),
      });
    if (pkg === 'processor')
      configs.push({
        files: PROCESSOR_DSL_SINK,
        rules: rule([
          {
            name: '@tributary/dashboard',
            message: "only the processor's reference app (src/app, its options, src/cli.ts) may import it.",
          },
        ]),
      });
    return configs;
  }),
  {
    // Tests may use any package (their devDependencies), but kafkajs only through @tributary/kafka as well.
    files: ['packages/*/test/**/*.ts', 'test/**/*.ts'],
    ignores: ['packages/kafka/test/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [KAFKAJS_ONLY_IN_KAFKA] }] },
  },
);
