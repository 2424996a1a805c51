import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** One flat config for every package. Layering: schema <- producer, processor, es-sink <- bench; devstack alone. */
const layering = {
  schema: [
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
          paths: forbidden.map((name) => ({
            name,
            message: `packages/${pkg} must not depend on ${name} (package layering).`,
          })),
          patterns: [
            { group: ['@tributary/*/*'], message: 'Deep imports are blocked: import from the package root.' },
          ],
        },
      ],
    },
  })),
);
