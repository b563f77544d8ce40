// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'dist/', 'client/dist/', 'client/src/gql/', 'coverage/', 'test/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // Imports flow one way (docs/delivery.md): transports -> live <- domains. A domain hands the
    // live layer its sources and never reaches into a transport.
    files: ['src/chat/**/*.ts', 'src/streams/**/*.ts', 'src/channels/**/*.ts', 'src/queues/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/transport/*', '**/transport'], message: 'Domains never import a transport: hand src/live a source instead.' }] },
      ],
    },
  },
  {
    // The live layer depends on neither transports nor domains, nor on the GraphQL context: only on
    // itself and libraries (its Subscriber interface is what it knows of a caller).
    files: ['src/live/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*', '../**'], message: 'src/live imports only itself and libraries (no domain, transport or graphql/context).' }] },
      ],
    },
  },
  {
    // The web client runs in browsers.
    files: ['client/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['eslint.config.js', 'vitest.config.ts', 'codegen.ts', 'client/vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
