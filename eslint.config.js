import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * One flat config for every package. Layering: schema <- kafka <- producer, processor, es-sink <- bench; devstack
 * uses kafka only. kafkajs is imported by @tributary/kafka alone: it installs its fixes before kafkajs loads, which an
 * import of kafkajs anywhere else could prevent (types included: they come from @tributary/kafka too).
 */
const layering = {
  schema: [
    '@tributary/kafka',
    '@tributary/producer',
    '@tributary/processor',
    '@tributary/es-sink',
    '@tributary/bench',
    '@tributary/devstack',
  ],
  kafka: [
    '@tributary/producer',
    '@tributary/processor',
    '@tributary/es-sink',
    '@tributary/bench',
    '@tributary/devstack',
  ],
  devstack: [
    '@tributary/schema',
    '@tributary/producer',
    '@tributary/processor',
    '@tributary/es-sink',
    '@tributary/bench',
  ],
  producer: ['@tributary/processor', '@tributary/es-sink', '@tributary/bench'],
  processor: ['@tributary/producer', '@tributary/bench'],
  'es-sink': ['@tributary/producer', '@tributary/processor', '@tributary/bench'],
  bench: [],
};

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
  ...Object.entries(layering).map(([pkg, forbidden]) => ({
    files: [`packages/${pkg}/src/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...forbidden.map((name) => ({
              name,
              message: `packages/${pkg} must not depend on ${name} (package layering).`,
            })),
            ...(pkg === 'kafka' ? [] : [KAFKAJS_ONLY_IN_KAFKA]),
          ],
          patterns: [
            { group: ['@tributary/*/*'], message: 'Deep imports are blocked: import from the package root.' },
          ],
        },
      ],
    },
  })),
  {
    // Tests may use any package (their devDependencies), but kafkajs only through @tributary/kafka as well.
    files: ['packages/*/test/**/*.ts', 'test/**/*.ts'],
    ignores: ['packages/kafka/test/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [KAFKAJS_ONLY_IN_KAFKA] }] },
  },
);
