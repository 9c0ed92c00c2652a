import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default ts.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      'test-results/',
      'bench/out/',
      'server/node_modules/',
      '**/.langgraph_api/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'svelte/no-at-html-tags': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    files: ['src/sw/**'],
    languageOptions: { globals: { ...globals.serviceworker, __TABGRAPH_PRECACHE__: 'readonly' } },
  },
  {
    files: ['tests/**', 'bench/**', 'build/**', '*.config.*', '.ci/**'],
    languageOptions: { globals: { ...globals.node } },
  },
);
