// Lint rules for the whole project. typescript-eslint's recommended set, plus the
// layering rules from docs/architecture.md: suites import only the fixtures door,
// the harness never imports suites, reporters only observe.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'qa-results/**',
      '.cohesix-qa/**',
      'reference/image/build/**',
      'reference/governance/sample-tree/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty-pattern': 'off',
    },
  },
  {
    files: ['suites/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!.*harness/fixtures\\.ts$)\\.', message: 'suites import only harness/fixtures.ts' },
          ],
        },
      ],
    },
  },
  {
    files: ['harness/**/*.ts'],
    ignores: ['harness/target/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/suites/**'], message: 'the harness never imports suites' },
            {
              group: ['**/reference/**'],
              message:
                'the checker reaches the reference target only through harness/target/ (its endpoints); share wire code through contract/',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['harness/target/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/suites/**'], message: 'the harness never imports suites' }] },
      ],
    },
  },
  {
    files: ['contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/harness/**', '**/reference/**', '**/suites/**', '**/reporters/**'],
              message: 'contract/ is what both sides share; it imports neither',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['reporters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/harness/target/**', '**/harness/run/**', '**/reference/**', '**/suites/**'],
              message: 'reporters only observe result events',
            },
          ],
        },
      ],
    },
  },
);
