import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { CLIENT_GQL_DIR, codegenConfig } from '../../codegen.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the web client’s generated GraphQL code', () => {
  it('is what `npm run codegen` makes from schema/schema.graphql and the client’s documents today', { timeout: 60_000 }, async () => {
    // Generated in memory, not written: the checked-in files are compared, never touched.
    const outputs = (await generate({ ...codegenConfig(), cwd: ROOT, silent: true }, false)) as Array<{ filename: string; content: string }>;
    const generated = new Map(outputs.map((output) => [relative(ROOT, join(ROOT, output.filename)), output.content]));
    const gqlDir = join(ROOT, CLIENT_GQL_DIR);
    const onDisk = readdirSync(gqlDir).map((name) => relative(ROOT, join(gqlDir, name)));

    expect(generated.size).toBeGreaterThan(0);
    expect(onDisk.sort(), 'files in client/src/gql: run `npm run codegen`').toEqual([...generated.keys()].sort());
    for (const [file, content] of generated) {
      expect(readFileSync(join(ROOT, file), 'utf8'), `${file} is stale: run \`npm run codegen\``).toBe(content);
    }
  });
});
