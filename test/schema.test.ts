import { readFileSync } from 'node:fs';
import {
  buildSchema as buildSdl,
  isInputObjectType,
  isNonNullType,
  isInterfaceType,
  isObjectType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema, printSortedSchema } from '../src/graphql/schema.js';

const schema = buildSchema();

/** The contract's SDL: the fenced graphql block of shared/API.md beside this repository. */
function contractSchema(): GraphQLSchema {
  const markdown = readFileSync(new URL('../../shared/API.md', import.meta.url), 'utf8');
  const sdl = /```graphql\n([\s\S]*?)```/.exec(markdown)?.[1];
  if (!sdl) throw new Error('no graphql block in shared/API.md');
  return buildSdl(sdl);
}

function signature(field: GraphQLField<unknown, unknown>, only?: GraphQLField<unknown, unknown>): string {
  // Arguments a later issue added beside the contract's are left out when they are optional
  // (nullable): adding one keeps every contract client working. A required one would not.
  const contractArgs = only ? new Set(only.args.map((arg) => arg.name)) : null;
  const args = field.args
    .filter((arg) => !contractArgs || contractArgs.has(arg.name) || isNonNullType(arg.type))
    .map((arg) => `${arg.name}: ${String(arg.type)}`)
    .sort();
  return `(${args.join(', ')}): ${String(field.type)}`;
}

/** Contract fields that later issues add (chat, streams, queues). Shrinks as they land. */
const NOT_YET_BUILT = new Set<string>([]);

describe('schema/schema.graphql', () => {
  it('is the sorted print of the Pothos schema (run `npm run schema` when this fails)', () => {
    const onDisk = readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8');
    expect(onDisk).toBe(printSortedSchema(schema));
  });

  it('matches every built part of the API.md contract exactly', () => {
    const contract = contractSchema();
    const missing: string[] = [];
    const different: string[] = [];
    for (const type of Object.values(contract.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      const ours = schema.getType(type.name);
      if (!ours) {
        if (!NOT_YET_BUILT.has(type.name)) missing.push(type.name);
        continue;
      }
      expect(ours.constructor.name, type.name).toBe(type.constructor.name);
      if (!(isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))) continue;
      if (!(isObjectType(ours) || isInterfaceType(ours) || isInputObjectType(ours))) continue;
      const ourFields = ours.getFields() as Record<string, GraphQLField<unknown, unknown>>;
      for (const [name, field] of Object.entries(type.getFields() as Record<string, GraphQLField<unknown, unknown>>)) {
        const ourField = ourFields[name];
        if (!ourField) {
          if (!NOT_YET_BUILT.has(`${type.name}.${name}`)) missing.push(`${type.name}.${name}`);
        } else if (signature(ourField, field) !== signature(field)) {
          different.push(`${type.name}.${name}: contract ${signature(field)}, ours ${signature(ourField)}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(different).toEqual([]);
    // The list must shrink as parts land: naming a built part there would hide a later regression.
    const built = [...NOT_YET_BUILT].filter((name) => {
      const [typeName, fieldName] = name.split('.');
      const type = schema.getType(typeName!);
      if (!type || !fieldName) return Boolean(type);
      return (isObjectType(type) || isInterfaceType(type)) && fieldName in type.getFields();
    });
    expect(built).toEqual([]);
  });
});
