// GraphQL Code Generator: typed documents for the web client from the API's printed schema.
// `npm run codegen` writes client/src/gql/; test/unit/client-codegen.test.ts fails when it is stale.
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

export default codegenConfig();
