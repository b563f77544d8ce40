import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { codes, post, postData, signUpUser } from '../support/graphql.js';
import { useServers } from '../support/servers.js';
import { graphql } from '../gql/index.js';
import { QUEUE_STATS } from '../support/operations.js';

/** Admin-only. */
const LIST_KEYS = graphql(`
  query RolesListKeys {
    apiKeys {
      id
    }
  }
`);
const ROLES = graphql(`
  query RolesMine {
    identity {
      roles
    }
  }
`);
const WHO = graphql(`
  query RolesWho {
    identity {
      userId
      roles
    }
  }
`);

const run = promisify(execFile);
const SECRET = 'roles-test-secret-roles-test-secret-1234';

const { redis, server } = useServers({ config: { authJwtSecret: SECRET } });

async function roles(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/roles.ts', ...args], { env: { ...process.env, REDIS_URL: redis.url } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run roles', () => {
  it('grants an account a role that applies from its next request, and revokes it', async () => {
    const ops = await signUpUser(server.httpUrl, 'ops');
    const victim = await signUpUser(server.httpUrl, 'victim');
    const privateQueue = { q: `private.${victim.id}.jobs` };
    expect(codes(await post(server.httpUrl, LIST_KEYS, {}, { token: ops.token }))).toEqual(['FORBIDDEN']);
    expect(codes(await post(server.httpUrl, QUEUE_STATS, privateQueue, { token: ops.token }))).toEqual(['FORBIDDEN']);

    expect((await roles(['grant', ops.username, 'admin'])).code).toBe(0);
    expect((await roles(['list', ops.username])).stdout).toBe('user\nadmin\n');
    expect(await postData(server.httpUrl, ROLES, {}, ops.token)).toEqual({ identity: { roles: ['user', 'admin'] } });
    expect((await post(server.httpUrl, LIST_KEYS, {}, { token: ops.token })).body.errors).toBeUndefined();
    expect((await post(server.httpUrl, QUEUE_STATS, privateQueue, { token: ops.token })).body.errors).toBeUndefined();

    expect((await roles(['revoke', ops.username, 'admin'])).code).toBe(0);
    expect(codes(await post(server.httpUrl, LIST_KEYS, {}, { token: ops.token }))).toEqual(['FORBIDDEN']);
  });

  it('grants a JWT user, named by its user id, roles beside its token\'s', async () => {
    const jwt = await new SignJWT({ roles: ['editor'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('jwt-ops').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    const { identity } = await postData(server.httpUrl, WHO, {}, jwt);
    expect(identity?.roles).toEqual(['editor']);
    expect((await roles(['grant', '--id', identity!.userId!, 'admin'])).code).toBe(0);
    expect(await postData(server.httpUrl, ROLES, {}, jwt)).toEqual({ identity: { roles: ['editor', 'admin'] } });
  });

  it('refuses unknown accounts and bad arguments', async () => {
    expect((await roles(['grant', 'nobody-here', 'admin'])).code).toBe(1);
    for (const args of [['grant', 'x'], ['grant', 'x', 'user'], ['grant', 'x', 'bad role'], ['promote', 'x', 'admin']]) {
      const result = await roles(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('Usage:');
    }
  });
});
