import { describe, expect, it } from 'vitest';
import { commandCalls } from '../support/backend.js';
import { post, postData, subscription } from '../support/graphql.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// sendMessage under REDIS_WAIT_REPLICAS, the rule stream entries and jobs follow: on a Redis with
// no replica, WAIT 1 can only time out, so a message is refused with UNAVAILABLE (after it was
// stored and published: the master has it). Under the default, auto, a single Redis gets no WAIT
// at all. The cluster side (auto and strict, for the three writes) is in cluster-replica-acks.test.ts.

const bed = useServers({ servers: [{}, { redisWaitReplicas: 1, redisWaitTimeoutMs: 100 }], users: ['ann'] });
const {
  servers: [plain, strict],
  users: [ann],
} = bed;

const SEND = 'mutation Send($roomId: ID!, $text: String!) { sendMessage(roomId: $roomId, text: $text) { id } }';
const ADDED = 'subscription { messageAdded(roomId: "0") { text } }';

describe('sendMessage and REDIS_WAIT_REPLICAS', () => {
  it('sends no WAIT on a single Redis under auto (the default)', async () => {
    const before = await commandCalls(bed.redis, 'wait');
    await postData(plain.httpUrl, SEND, { roomId: '0', text: 'unconfirmed' }, ann.token);
    expect(await commandCalls(bed.redis, 'wait')).toBe(before);
  });

  it('fails a message no replica confirmed with UNAVAILABLE, as addEvent and enqueue do', async () => {
    const listener = subscription<{ messageAdded: { text: string } }>(bed.wsClient(plain, ann.token), ADDED);
    await until(() => plain.app.services.subscriptions.size > 0, 'the subscription');
    const before = await commandCalls(bed.redis, 'wait');
    const refused = await post(strict.httpUrl, SEND, { roomId: '0', text: 'not on a replica' }, { token: ann.token });
    expect(refused.body.errors?.[0]).toMatchObject({
      message: 'The write was not confirmed by 1 replica(s) within 100 ms (only 0); it may be lost if the master fails. Retry shortly.',
      extensions: { code: 'UNAVAILABLE' },
    });
    expect(await commandCalls(bed.redis, 'wait')).toBe(before + 1);
    // Stored and published in one script before the WAIT: the master has it, and said so.
    const stored = await bed.redis.client.zrange('room:0', -1, -1);
    expect(stored[0]).toContain('not on a replica');
    await until(() => listener.events.some((event) => event.data?.messageAdded.text === 'not on a replica'), 'the message delivered');
  });
});
