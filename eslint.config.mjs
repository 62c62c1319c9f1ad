// Lint, and the layering rule (VS Code style): every import is checked against the allow-list
// of its file's layer in tools/eslint/layers.mjs, which covers every folder of the repository
// (docs/architecture.md §2).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { plugin as forkscope } from './tools/eslint/layering.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'native/build/**', 'test-results/**', 'playwright-report/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { forkscope },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'forkscope/layering': 'error',
    },
  },
  {
    // Plain CommonJS launchers and build scripts.
    files: ['bin/**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Pure data and logic, for Node and the browser alike: no globals of either.
    files: ['electron/common/**/*.ts'],
    languageOptions: { globals: {} },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
