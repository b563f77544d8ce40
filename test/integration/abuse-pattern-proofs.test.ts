import { describe, expect, it } from 'vitest';
import { refusedSubscriptionCodes, signUpUser } from '../support/graphql.js';
import { useServers } from '../support/servers.js';
import { PATTERN } from '../support/operations.js';

// Abuse suite, issue 13: proving a channelPattern against the policy costs milliseconds of CPU,
// and a refused pattern holds nothing the pattern caps count, so new patterns are budgeted.

const BUDGET = 5;
const { server } = useServers({ config: { maxPatternChecksPerUserPerMinute: BUDGET } });

describe('new channel patterns per user and minute', () => {
  it('are refused with RATE_LIMITED past MAX_PATTERN_CHECKS_PER_USER_PER_MINUTE; known answers and other users are not affected', async () => {
    const [attacker, other] = await Promise.all([signUpUser(server.httpUrl, 'prover'), signUpUser(server.httpUrl, 'bystander')]);
    // Each can match other users' private.<id>. channels: the default policy refuses them, after a proof.
    const refused = (n: number) => `p*${n}*`;
    const codes: Array<string | undefined> = [];
    for (let n = 0; n < BUDGET + 3; n++) codes.push(...(await refusedSubscriptionCodes(server.wsUrl, attacker.token, PATTERN, { p: refused(n) })).codes);
    expect(codes).toEqual([...Array<string>(BUDGET).fill('FORBIDDEN'), 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    const limited = await refusedSubscriptionCodes(server.wsUrl, attacker.token, PATTERN, { p: refused(99) });
    expect(limited.messages[0]).toContain('MAX_PATTERN_CHECKS_PER_USER_PER_MINUTE');
    // A pattern whose answer is known costs nothing, so it still gets its own answer.
    expect((await refusedSubscriptionCodes(server.wsUrl, attacker.token, PATTERN, { p: refused(0) })).codes).toEqual(['FORBIDDEN']);
    // Another user has a budget of its own.
    expect((await refusedSubscriptionCodes(server.wsUrl, other.token, PATTERN, { p: refused(0) })).codes).toEqual(['FORBIDDEN']);
  });
});
