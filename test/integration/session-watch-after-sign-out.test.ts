// A watch that arrives just after its session's sign-out was announced (its session was resolved
// before): it ends at once, not at the next periodic check (30 s by default).
import { describe, expect, it } from 'vitest';
import type { SessionEnd } from '../../src/accounts/session-watcher.js';
import { post } from '../support/graphql.js';
import { SIGN_OUT } from '../support/operations.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

const { servers: [a], users: [alice] } = useServers({ servers: 1, users: ['late-watch'] });

describe('a session watch after the sign-out', () => {
  it('ends on the next tick with the sign-out\'s reason, and unwatching before then stops it', async () => {
    const { identities, sessionWatcher } = a.app.services;
    const session = (await identities.resolve(alice!.token))!;
    expect(session).not.toBeNull();
    const early: SessionEnd[] = [];
    sessionWatcher.watch(session, (reason) => early.push(reason));
    await post(a.httpUrl, SIGN_OUT, {}, { token: alice!.token });
    await until(() => early.length === 1, 'the sign-out announced to the first watch');
    const late: SessionEnd[] = [];
    sessionWatcher.watch(session, (reason) => late.push(reason));
    const cancelled: SessionEnd[] = [];
    sessionWatcher.watch(session, (reason) => cancelled.push(reason))();
    expect(late).toEqual([]);
    await until(() => late.length === 1, 'the late watch ended', 5000);
    expect(late).toEqual(['signed-out']);
    expect(cancelled).toEqual([]);
  });
});
