// Writes schema/schema.graphql from the Pothos schema. `npm run schema`; a test fails when stale.
import { writeFileSync } from 'node:fs';
import { buildSchema, printSortedSchema } from '../src/graphql/schema.js';

const path = new URL('../schema/schema.graphql', import.meta.url);
writeFileSync(path, printSortedSchema(buildSchema()));
process.stdout.write(`wrote ${path.pathname}\n`);
