// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The domain folders of src/: each holds its Redis code, its services type and its schema files. */
const DOMAINS = ['accounts', 'auth', 'policy', 'limits', 'metrics', 'chat', 'channels', 'streams', 'queues'];
/** The bottom layer: no domain, GraphQL, live layer or transport. */
const NEUTRAL = ['redis', 'errors', 'paging', 'common'];
/** A domain's resolvers: the only domain files that see the GraphQL context (and builder). */
const SCHEMA_FILES = ['schema.ts', '*-schema.ts'];
// Relative paths only, here and below: a library may have a `transport` module, and `graphql`
// alone is the library.
const NO_TRANSPORT = {
  group: ['../transport/*'],
  message: 'Only app.ts, the CLIs and the transports import src/transport: hand src/live a source, or move the neutral part to src/common.',
};
const NO_DEFAULT_EXPORT = { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' };
// A schema file registers its types with the builder when imported, so it counts as GraphQL too.
const NO_GRAPHQL = {
  group: ['../graphql/*', './schema.js', './*-schema.js', '../*/schema.js', '../*/*-schema.js'],
  message: "A domain's non-schema files take the narrow dependency type of <domain>/services.ts, not the GraphQL context or builder.",
};

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'dist/', 'client/dist/', 'client/src/gql/', 'test/gql/', 'coverage/', 'test/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', NO_DEFAULT_EXPORT],
    },
  },
  // Imports flow one way (src/README.md): transports and the CLIs on top; under them
  // the GraphQL layer and its schema files; the domains; the live layer; and at the bottom the
  // neutral modules (redis, errors, paging, common). A domain hands src/live a source and never
  // reaches into a transport; its resolvers (schema files) see the GraphQL context, its other
  // files take the narrow dependency type of `<domain>/services.ts`.
  {
    // The CLIs work straight on Redis, with no server: none of the server's layers.
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['graphql', 'live', 'transport'].map((folder) => `../${folder}/*`), message: 'A CLI works straight on Redis: use the domains\' stores, not the GraphQL, live or transport layers.' }] },
      ],
    },
  },
  {
    files: ['src/graphql/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_TRANSPORT] }] },
  },
  {
    files: DOMAINS.map((domain) => `src/${domain}/**/*.ts`),
    ignores: DOMAINS.flatMap((domain) => SCHEMA_FILES.map((file) => `src/${domain}/${file}`)),
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_TRANSPORT, NO_GRAPHQL] }] },
  },
  {
    files: DOMAINS.flatMap((domain) => SCHEMA_FILES.map((file) => `src/${domain}/${file}`)),
    rules: {
      'no-restricted-imports': ['error', { patterns: [NO_TRANSPORT] }],
      // Resolvers reach their domain's part of the services (`streamsOf(context)`), never the whole locator.
      'no-restricted-syntax': [
        'error',
        NO_DEFAULT_EXPORT,
        { selector: "MemberExpression[object.name='context'][property.name='services']", message: "Use the domain's accessor (streamsOf(context), chatOf(context), ...) instead of context.services." },
      ],
    },
  },
  {
    files: NEUTRAL.map((folder) => `src/${folder}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            NO_TRANSPORT,
            {
              group: [...DOMAINS, 'graphql', 'live', 'cli'].map((folder) => `../${folder}/*`),
              message: 'src/redis, errors, paging and common are the bottom layer: they import only each other and libraries.',
            },
          ],
        },
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
