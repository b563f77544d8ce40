import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatBus, createChatBus } from '../../src/chat/chat-bus.js';
import { encodeMessage, newMessageId } from '../../src/chat/message-codec.js';
import { createMessageStore } from '../../src/chat/message-store.js';
import { channels, chatKeys } from '../../src/redis/keys.js';
import { type PubSubHub, SUBSCRIBER_MISSED_EVENT, createPubSubHub, subscriberConnectionOptions } from '../../src/redis/pubsub-hub.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// A gap that starts long before a room's newest delivered message (on a cluster, a bus link made
// again reports one from when it was last seen, while the room's messages kept coming over
// another link): the room is re-read for what it missed, never delivering a message twice and
// never one from before its feed existed.

const bed = useServers({ servers: 0 });
const logger = pino({ level: 'silent' });
let command: Redis;
let subscriber: Redis;
let hub: PubSubHub;
let bus: ChatBus;

beforeAll(async () => {
  command = new Redis(bed.redis.url);
  subscriber = new Redis(bed.redis.url, subscriberConnectionOptions);
  hub = createPubSubHub({ subscriber, logger, confirmTimeoutMs: 2000 });
  await until(() => subscriber.status === 'ready', 'the subscriber');
  bus = createChatBus({ redis: command, hub, serverId: 1, messages: createMessageStore(command, logger), logger });
  await bus.start();
});

afterAll(() => {
  bus?.stop();
  hub?.close();
  command?.disconnect();
  subscriber?.disconnect();
});

const message = (roomId: string, score: number, text: string) => ({ id: newMessageId(score), roomId, fromId: '1', text, score });

/**
 * A bus of its own (on the shared hub) following `room`, with one live message delivered: what
 * a test of one bus option starts from. Stopped by the caller.
 */
async function followedRoom(room: string, options: Partial<Parameters<typeof createChatBus>[0]>) {
  const own = createChatBus({ redis: command, hub, serverId: 2, messages: createMessageStore(command, logger), logger, ...options });
  await own.start();
  const received: string[] = [];
  own.onRoomMessage(room, (delivered) => received.push(delivered.id));
  const now = Date.now() / 1000;
  const live = message(room, now, 'live');
  await own.send(live);
  await until(() => received.length === 1, 'the live message');
  return { bus: own, received, now, live };
}

describe('the chat bus after a gap that starts long before', () => {
  it('re-reads what was lost, with no duplicate and nothing from before the feed', async () => {
    const room = 'gaps';
    const now = Date.now() / 1000;
    // From before the feed (inside the gap, which starts 5 s ago): stored, never to be delivered to it.
    await command.zadd(chatKeys.room(room), now - 4, encodeMessage(message(room, now - 4, 'before the feed')));
    const received: string[] = [];
    bus.onRoomMessage(room, (delivered) => received.push(delivered.id));
    // 121 messages over 60 s of scores (ahead of the clock: what matters is their spread): more
    // than the feed remembers ids of, so the oldest are forgotten.
    const sent: string[] = [];
    for (let index = 0; index <= 120; index++) {
      const next = message(room, now + index / 2, `live ${index}`);
      await bus.send(next);
      sent.push(next.id);
    }
    await until(() => received.length === sent.length, 'every live message');
    // One stored whose PUBLISH was lost (as over a dropped bus link), among the newest.
    const lost = message(room, now + 45.25, 'lost');
    await command.zadd(chatKeys.room(room), lost.score, encodeMessage(lost));

    subscriber.emit(SUBSCRIBER_MISSED_EVENT, Date.now() - 5000);
    await bus.settled();
    expect(received.filter((id) => id === lost.id)).toHaveLength(1);
    expect(new Set(received).size).toBe(received.length);
    expect(received).toHaveLength(sent.length + 1);
  });

  it('re-reads a message that waited through a failover: scored up to the longest send delay before it was published', async () => {
    // A send can sit in a client's queue (then EVALSHA, EVAL on NOSCRIPT) for up to twice the
    // command timeout: published that long after its score, over a bus link that then dropped it.
    const room = 'queued-send';
    const { bus: patient, received, now, live } = await followedRoom(room, { maxSendDelayMs: 3000 });
    try {
      // Scored 3 s ago, stored and published now; its PUBLISH lost. The gap is reported from
      // just before: a re-read from 2 s before that (the lookback alone) would start after its score.
      const delayed = message(room, now - 3, 'waited in the queue');
      await command.zadd(chatKeys.room(room), delayed.score, encodeMessage(delayed));
      subscriber.emit(SUBSCRIBER_MISSED_EVENT, Date.now() - 500);
      await patient.settled();
      expect(received).toEqual([live.id, delayed.id]);
    } finally {
      patient.stop();
    }
  });

  it('keeps re-reading a room until its storage answers (a failover that outlasts the retries), then delivers what the gap held', async () => {
    // Six failed reads: the bus used to give up after five (silently losing what the gap held).
    const store = createMessageStore(command, logger);
    let failuresLeft = 6;
    const failing = {
      afterPosition: (...args: Parameters<typeof store.afterPosition>) => {
        if (failuresLeft-- > 0) return Promise.reject(new Error('CLUSTERDOWN The cluster is down'));
        return store.afterPosition(...args);
      },
    };
    const room = 'master-down';
    const { bus: stubborn, received, now, live } = await followedRoom(room, { messages: failing });
    try {
      const lost = message(room, now + 0.1, 'lost in the gap');
      await command.zadd(chatKeys.room(room), lost.score, encodeMessage(lost));
      failuresLeft = 6;
      subscriber.emit(SUBSCRIBER_MISSED_EVENT, Date.now() - 500);
      // Sent while the room cannot be re-read: held, then delivered after what the gap held.
      const during = message(room, now + 0.2, 'during the re-read');
      await stubborn.send(during);
      await stubborn.settled();
      expect(failuresLeft).toBeLessThan(0);
      expect(received).toEqual([live.id, lost.id, during.id]);
    } finally {
      stubborn.stop();
    }
  }, 20_000);

  it('does not deliver, after the gap, a message stored before the feed existed', async () => {
    const room = 'young';
    const now = Date.now() / 1000;
    const before = message(room, now - 4, 'before the feed');
    await command.zadd(chatKeys.room(room), before.score, encodeMessage(before));
    const received: string[] = [];
    bus.onRoomMessage(room, (delivered) => received.push(delivered.id));
    const live = message(room, now, 'live');
    await bus.send(live);
    await until(() => received.length === 1, 'the live message');
    const lost = message(room, now + 0.5, 'lost');
    await command.zadd(chatKeys.room(room), lost.score, encodeMessage(lost));
    // The gap starts before the feed was made: only what followed the feed is the feed's.
    subscriber.emit(SUBSCRIBER_MISSED_EVENT, Date.now() - 10_000);
    await bus.settled();
    expect(received).toEqual([live.id, lost.id]);
  });

  it('gives a feed made while a gap is handled (a new subscriber, not a room announced in the gap) nothing from before it', async () => {
    const room = 'late';
    const now = Date.now() / 1000;
    const before = message(room, now - 3, 'before the feed');
    await command.zadd(chatKeys.room(room), before.score, encodeMessage(before));
    subscriber.emit(SUBSCRIBER_MISSED_EVENT, Date.now() - 10_000);
    // The gap is being handled (its re-reads wait on Redis): the feed is made meanwhile.
    const received: string[] = [];
    bus.onRoomMessage(room, (delivered) => received.push(delivered.id));
    const lost = message(room, Date.now() / 1000 + 0.5, 'lost');
    await command.zadd(chatKeys.room(room), lost.score, encodeMessage(lost));
    await bus.settled();
    const live = message(room, Date.now() / 1000 + 1, 'live');
    await bus.send(live);
    await until(() => received.includes(live.id), 'the live message');
    expect(received).not.toContain(before.id);
    expect(received).toContain(lost.id);
    expect(received.filter((id) => id === live.id)).toHaveLength(1);
  });
});

describe('a send that reaches Redis twice', () => {
  it('stores the message once and every feed delivers it once (ioredis sends a command in flight again after a reconnect)', async () => {
    const room = 'resent';
    const received: string[] = [];
    const stop = bus.onRoomMessage(room, (delivered) => received.push(delivered.id));
    const watcher = new Redis(bed.redis.url);
    let published = 0;
    watcher.on('message', (_channel: string, text: string) => {
      if (text.includes('"resent"')) published++;
    });
    await watcher.subscribe(channels.chatMessages);
    try {
      const sent = message(room, Date.now() / 1000, 'sent twice');
      const other = message(room, Date.now() / 1000 + 0.001, 'sent once');
      // The same script call twice, as a resend after a dropped reply makes it; then another message.
      await bus.send(sent);
      await bus.send(sent);
      await bus.send(other);
      await until(() => received.includes(other.id) && published === 3, 'the later message');
      // Published twice on purpose (the first PUBLISH may have died with its master), delivered once.
      expect(received).toEqual([sent.id, other.id]);
      expect(await command.zcard(chatKeys.room(room))).toBe(2);
    } finally {
      stop();
      watcher.disconnect();
    }
  });
});
