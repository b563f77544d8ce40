import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules of eslint.config.js (src/README.md) bite where they should and nowhere else: a
// config block added later for the same files would silently replace them.

const eslint = new ESLint();

/** The messages of `rule` that ESLint reports for `code` as if it were the file `path`. */
async function refusals(path: string, code: string, rule = 'no-restricted-imports'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return result!.messages.filter((message) => message.ruleId === rule).map((message) => message.message);
}

describe('import layers', () => {
  it.each([
    ['src/streams/x.ts', "import { a } from '../transport/http.js';", /Only app.ts, the CLIs and the transports/],
    ['src/accounts/x.ts', "import { a } from '../transport/client-address.js';", /Only app.ts, the CLIs and the transports/],
    ['src/graphql/x.ts', "import { a } from '../transport/http.js';", /Only app.ts, the CLIs and the transports/],
    ['src/queues/schema.ts', "import { a } from '../transport/http.js';", /Only app.ts, the CLIs and the transports/],
    ['src/queues/job-stream.ts', "import { a } from '../graphql/context.js';", /narrow dependency type/],
    ['src/limits/x.ts', "import { a } from '../graphql/builder.js';", /narrow dependency type/],
    ['src/chat/rooms.ts', "import { a } from '../accounts/schema.js';", /narrow dependency type/],
    ['src/queues/store.ts', "import { a } from './dead-letters-schema.js';", /narrow dependency type/],
    ['src/redis/x.ts', "import { a } from '../streams/store.js';", /bottom layer/],
    ['src/paging/x.ts', "import { a } from '../graphql/pagination.js';", /bottom layer/],
    ['src/common/x.ts', "import { a } from '../live/engine.js';", /bottom layer/],
    ['src/live/x.ts', "import { a } from '../chat/rooms.js';", /src\/live imports only itself/],
    ['src/cli/x.ts', "import { a } from '../graphql/context.js';", /A CLI works straight on Redis/],
  ])('%s may not: %s', async (path, code, message) => {
    const found = await refusals(path, `${code}\nexport const b = a;\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it.each([
    // Schema files are a domain's resolvers: they see the GraphQL context and builder.
    ['src/queues/schema.ts', "import type { Context } from '../graphql/context.js';"],
    ['src/streams/insight-schema.ts', "import { builder } from '../graphql/builder.js';"],
    ['src/chat/schema.ts', "import { UserRef } from '../accounts/schema.js';"],
    // `graphql` alone is the library, which every layer may use.
    ['src/errors/x.ts', "import { GraphQLError } from 'graphql';"],
    ['src/queues/x.ts', "import { GraphQLError } from 'graphql';"],
    ['src/metrics/x.ts', "import { transport } from 'pino';"],
    ['src/accounts/x.ts', "import { build } from 'pino/transport';"],
    ['src/redis/x.ts', "import { AppError } from '../errors/app-error.js';"],
    ['src/transport/x.ts', "import { a } from '../graphql/context.js';"],
    ['src/app.ts', "import { a } from './transport/http.js';"],
    ['src/cli/x.ts', "import { a } from '../queues/store.js';"],
  ])('%s may: %s', async (path, code) => {
    expect(await refusals(path, `${code}\nexport const b = [${/\{ (?:type )?(\w+) \}/.exec(code)![1]}];\n`)).toEqual([]);
  });

  it('keeps resolvers to their domain accessor, not context.services', async () => {
    const code = 'export const f = (context: { services: { redis: unknown } }) => context.services.redis;\n';
    expect(await refusals('src/chat/schema.ts', code, 'no-restricted-syntax')).toEqual([expect.stringMatching(/domain's accessor/)]);
    expect(await refusals('src/policy/authorize.ts', code, 'no-restricted-syntax')).toEqual([]);
    // The default-export ban still holds beside it.
    expect(await refusals('src/chat/schema.ts', 'export default 1;\n', 'no-restricted-syntax')).toEqual(['Use named exports.']);
  });
});
