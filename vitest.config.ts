import { defineConfig } from 'vitest/config';

/**
 * Three folders, one run (`npm test` runs them all):
 * - test/unit: starts no server and no Redis (`npm run test:unit`);
 * - test/integration: real redis-server processes and real servers on loopback (`npm run test:integration`);
 * - test/e2e: a real browser against a real server (`npm run test:e2e`).
 */
export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds. Node loads yoga and graphql-ws with the
    // CJS one; Vite would give our sources the ESM one, and then `instanceof GraphQLError` fails
    // between the two copies. One copy for everything, as in production.
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    include: ['test/{unit,integration,e2e}/**/*.test.ts'],
    // Every integration file starts its own redis-server and servers; two cores run two files at a time.
    pool: 'forks',
    maxWorkers: 2,
    // Generous: several tests start server and worker processes, slow on a loaded two-core machine.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
