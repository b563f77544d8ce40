// GraphQL Code Generator: typed documents for the web client and for the tests, from the API's
// printed schema. `npm run codegen` writes client/src/gql/ and test/gql/;
// test/unit/client-codegen.test.ts fails when either is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

/** Where the generated code goes (checked in, so that the client builds without running codegen). */
export const CLIENT_GQL_DIR = 'client/src/gql/';

/** The codegen configuration; `outputDir` lets the staleness test generate into a scratch folder. */
export function codegenConfig(outputDir: string = CLIENT_GQL_DIR): CodegenConfig {
  return {
    schema: 'schema/schema.graphql',
    documents: ['client/src/**/*.{ts,tsx}', `!${CLIENT_GQL_DIR}**`],
    ignoreNoDocuments: false,
    generates: {
      [outputDir]: {
        preset: 'client',
        config: {
          useTypeImports: true,
          enumsAsTypes: true,
          strictScalars: true,
          scalars: { DateTime: 'string', JSON: 'unknown' },
        },
      },
      // The schema for graphcache (minified introspection), so the cache knows what may be null.
      [`${outputDir}introspection.ts`]: {
        plugins: ['urql-introspection'],
        config: { module: 'es2015', useTypeImports: true },
      },
    },
  };
}

/** Where the tests' generated code goes (checked in, like the client's). */
export const TEST_GQL_DIR = 'test/gql/';

/**
 * The tests' operations: every `graphql(...)` document under test/ is validated against the schema
 * and typed (result and variables), so a test cannot send an operation the schema does not have.
 * Operations a test sends on purpose broken stay plain strings.
 */
export function testCodegenConfig(outputDir: string = TEST_GQL_DIR): CodegenConfig {
  return {
    schema: 'schema/schema.graphql',
    documents: ['test/**/*.ts', `!${TEST_GQL_DIR}**`],
    ignoreNoDocuments: false,
    generates: {
      [outputDir]: {
        preset: 'client',
        presetConfig: { fragmentMasking: false },
        config: {
          documentMode: 'string',
          // './graphql.js', as NodeNext resolution (the tests' tsconfig) wants.
          emitLegacyCommonJSImports: false,
          useTypeImports: true,
          enumsAsTypes: true,
          strictScalars: true,
          scalars: { DateTime: 'string', JSON: 'unknown' },
        },
      },
    },
  };
}

/** Both: each output with its own documents (`npm run codegen`). */
function withDocuments(config: CodegenConfig): CodegenConfig['generates'] {
  return Object.fromEntries(Object.entries(config.generates).map(([path, output]) => [path, { documents: config.documents, ...output }]));
}

export default {
  schema: 'schema/schema.graphql',
  ignoreNoDocuments: false,
  generates: { ...withDocuments(codegenConfig()), ...withDocuments(testCodegenConfig()) },
} satisfies CodegenConfig;
