import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds. Node loads yoga and graphql-ws with the
    // CJS one; Vite would give our sources the ESM one, and then `instanceof GraphQLError` fails
    // between the two copies. One copy for everything, as in production.
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Every file starts its own redis-server and servers; two cores run two files at a time.
    pool: 'forks',
    maxWorkers: 2,
    // Generous: several tests start server and worker processes, slow on a loaded two-core machine.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
