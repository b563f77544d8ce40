import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
// Each domain registers its types and fields on the builder when imported.
import '../accounts/schema.js';
import '../auth/schema.js';
import '../channels/schema.js';
import '../streams/schema.js';
import '../chat/schema.js';
import '../queues/schema.js';
// Operations: insight for admins (issue 16).
import '../streams/insight-schema.js';
import '../channels/insight-schema.js';
import '../metrics/stats-schema.js';
import '../queues/dead-letters-schema.js';

/** Builds the executable schema. Call once per process (Pothos builds are not free). */
export function buildSchema(): GraphQLSchema {
  return builder.toSchema({ sortSchema: true });
}

/** The SDL written to `schema/schema.graphql`, sorted so that diffs stay readable. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema)).trimEnd()}\n`;
}
