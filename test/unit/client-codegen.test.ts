import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { CLIENT_GQL_DIR, TEST_GQL_DIR, codegenConfig, testCodegenConfig } from '../../codegen.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Generates in memory (never written: the checked-in files are compared, never touched) and compares with `dir`. */
async function expectFresh(config: CodegenConfig, dir: string) {
  const outputs = (await generate({ ...config, cwd: ROOT, silent: true }, false)) as Array<{ filename: string; content: string }>;
  const generated = new Map(outputs.map((output) => [relative(ROOT, join(ROOT, output.filename)), output.content]));
  const onDisk = readdirSync(join(ROOT, dir)).map((name) => relative(ROOT, join(ROOT, dir, name)));

  expect(generated.size).toBeGreaterThan(0);
  expect(onDisk.sort(), `files in ${dir}: run \`npm run codegen\``).toEqual([...generated.keys()].sort());
  for (const [file, content] of generated) {
    expect(readFileSync(join(ROOT, file), 'utf8'), `${file} is stale: run \`npm run codegen\``).toBe(content);
  }
}

describe('the generated GraphQL code', () => {
  it('of the web client is what `npm run codegen` makes from schema/schema.graphql and the client’s documents today', { timeout: 60_000 }, async () => {
    await expectFresh(codegenConfig(), CLIENT_GQL_DIR);
  });

  it('of the tests is what `npm run codegen` makes from schema/schema.graphql and the tests’ graphql() documents today', { timeout: 60_000 }, async () => {
    await expectFresh(testCodegenConfig(), TEST_GQL_DIR);
  });

  it('of the tests refuses an operation the schema does not have', { timeout: 60_000 }, async () => {
    const config = testCodegenConfig();
    const broken = { ...config, documents: ['mutation TestBroken { publish(channel: "x", mesage: 1) }'] };
    await expect(generate({ ...broken, cwd: ROOT, silent: true }, false)).rejects.toThrow(/mesage/);
  });
});
