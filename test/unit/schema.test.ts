import { readFileSync } from 'node:fs';
import { buildSchema as buildSdl } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema, printSortedSchema } from '../../src/graphql/schema.js';

const schema = buildSchema();
/** The contract clients rely on: it lives in this repository, printed from the Pothos schema. */
const contractText = () => readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');

describe('schema/schema.graphql', () => {
  it('is the sorted print of the Pothos schema (run `npm run schema` when this fails)', () => {
    expect(contractText()).toBe(printSortedSchema(schema));
  });

  it('is a complete schema on its own, with the three root types', () => {
    const contract = buildSdl(contractText());
    expect(contract.getQueryType()?.name).toBe('Query');
    expect(contract.getMutationType()?.name).toBe('Mutation');
    expect(contract.getSubscriptionType()?.name).toBe('Subscription');
  });
});
