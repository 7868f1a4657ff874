import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'test/artifacts/**', 'src/server/dashboard/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // The pure domain core imports no provider, Redis, queue or HTTP framework.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['ioredis', 'bullmq', 'express', 'jsforce', '@hubspot/*', 'node:http', 'node:fs', 'node:net'], message: 'src/core is pure: no I/O imports.' },
            { group: ['**/providers/**', '**/platform/redis*', '**/server/**', '**/worker/**', '**/sandbox/**'], message: 'src/core is pure: no adapters.' },
          ],
        },
      ],
    },
  },
  {
    // The dashboard's browser script (served as is, no build step).
    files: ['src/server/dashboard/public/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['window', 'document', 'location', 'fetch', 'localStorage', 'URLSearchParams', 'Node', 'setTimeout', 'console'].map((g) => [g, 'readonly'])),
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
