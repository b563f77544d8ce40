import { afterAll, describe, expect, it } from 'vitest';
import { channels } from '../../src/redis/keys.js';
import { numsub } from '../support/chaos.js';
import { openTab, postData, signUpUser, subscription, wsClient } from '../support/graphql.js';
import type { TestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { ADD_EVENT, CHANNEL, EVENTS, MESSAGE_ADDED, PUBLISH, SEND, collect, collectSse, startWriter, tally } from '../support/workload.js';
import { useServers } from '../support/servers.js';
import { graphql } from '../gql/index.js';
import { OPEN_ROOM, PRESENCE } from '../support/operations.js';

const ROOM_ADDED = graphql(`
  subscription ChaosRoomAdded {
    roomAdded {
      id
    }
  }
`);
const KILLS_PATTERN = graphql(`
  subscription ChaosKills {
    channelPattern(pattern: "kills.*") {
      channel
    }
  }
`);

// `CLIENT KILL TYPE pubsub`, which Redis itself does to a subscriber past
// `client-output-buffer-limit pubsub`, drops every instance's subscriber connection while the
// command connections stay up: writes go on, subscribers hear nothing until the hub restores.

const measured: Record<string, unknown> = {};
const { redis, servers: [a, b], users: [writer, reader] } = useServers({ servers: 2, users: ['writer', 'reader'] });

afterAll(() => {
  console.log(`chaos (pub/sub kills): ${JSON.stringify(measured)}`);
});

const killSubscribers = async () => Number(await redis.client.client('KILL', 'TYPE', 'pubsub'));
/** Kills subscriber connections until one was killed (they may be mid-handshake, not yet of type pubsub). */
const killSome = () => until(async () => (await killSubscribers()) > 0, 'a subscriber connection killed');
const restoredCount = (server: TestServer) => server.logs.lines.filter((line) => line.includes('pub/sub subscriptions restored')).length;
const pickMessage = (data: Record<string, unknown>) => (data.messageAdded as { id: string }).id;

describe('CLIENT KILL TYPE pubsub, repeated', () => {
  it('leaves no subscription deaf while subscriptions are being created: each is live or failed with a retryable code', async () => {
    const KILLS = 8;
    const SUBSCRIPTIONS = 480;
    const client = wsClient(a.wsUrl, reader.token);
    const subs: Array<{ name: string; sub: ReturnType<typeof subscription> }> = [];
    // Subscriber connections are killed over and over (each kill lands on connections that are
    // subscribed, reconnecting or mid-handshake) while subscriptions keep arriving.
    let kills = 0;
    let creating = true;
    const killer = (async () => {
      while (creating || kills < KILLS) {
        kills += await killSubscribers();
        // Pacing of the kills; the loop ends on counts (subscriptions sent, kills landed).
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    for (let i = 0; i < SUBSCRIPTIONS; i++) {
      const name = `storm.${i}`;
      subs.push({ name, sub: subscription(client, CHANNEL, { name }) });
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    creating = false;
    await killer;
    await until(
      () => a.app.webSockets.settingUpCount === 0 && a.app.webSockets.operationCount + subs.filter(({ sub }) => sub.completed).length === subs.length,
      'every subscription live or refused',
      20_000,
    );
    const failed = subs.filter(({ sub }) => sub.completed);
    const live = subs.filter(({ sub }) => !sub.completed);
    // A subscription that could not be made says so with a retryable code; none is a masked bug.
    for (const { sub } of failed) expect(sub.errorCodes).toEqual(['UNAVAILABLE']);

    // Redis's view is the hub's: every live channel has exactly A's subscription, refused ones none.
    const { hub } = a.app.services;
    await until(() => hub.confirmedTopics().length === hub.topicCount(), 'the hub confirmed everything it holds');
    const counts = await numsub(redis.client, subs.map(({ name }) => name));
    expect(live.filter(({ name }) => counts.get(name) !== 1).map(({ name }) => name)).toEqual([]);
    expect(failed.filter(({ name }) => counts.get(name) !== 0).map(({ name }) => name)).toEqual([]);
    expect(new Set(hub.confirmedTopics().map((topic) => (topic.kind === 'channel' ? topic.name : topic.pattern)))).toEqual(
      new Set([...live.map(({ name }) => name), channels.chatMessages, channels.sessionEnded]),
    );

    // And none is deaf: a message on each channel reaches its subscriber.
    for (const { name } of live) await redis.client.publish(name, JSON.stringify(`ping ${name}`));
    await until(() => live.every(({ sub }) => sub.events.some((event) => event.data)), 'every live subscription hears its channel');
    measured.storm = { subscriptions: subs.length, kills, live: live.length, refused: failed.length };
    await client.dispose();
  });

  it('keeps messageAdded gapless and duplicate-free across kills, and marks the gaps of channel subscriptions', async () => {
    const KILLS = 5;
    const channel = 'kills.live';
    const client = wsClient(a.wsUrl, reader.token);
    const anchor = (await postData(b.httpUrl, SEND, { roomId: '0', text: 'anchor' }, writer.token)).sendMessage.id;
    const room = collect(client, MESSAGE_ADDED, { roomId: '0' }, pickMessage);
    const everyRoom = collect(client, MESSAGE_ADDED, {}, pickMessage);
    const resumed = collect(client, MESSAGE_ADDED, { roomId: '0', after: anchor }, pickMessage);
    const sse = collectSse(a.httpUrl, reader.token, MESSAGE_ADDED, { roomId: '0' }, pickMessage);
    const pubsub = collect(client, CHANNEL, { name: channel }, (data) => String((data.channel as { message: unknown }).message));
    const pattern = subscription(client, KILLS_PATTERN);
    const pubsubSse = collectSse(a.httpUrl, reader.token, CHANNEL, { name: channel }, (data) => String((data.channel as { message: unknown }).message));
    // Live-only subscribers count from the moment they are set up: warm up until each has had
    // something, so that every acknowledged write comes after.
    await until(async () => {
      await Promise.all([
        postData(b.httpUrl, SEND, { roomId: '0', text: 'warm-up' }, writer.token),
        postData(b.httpUrl, PUBLISH, { channel, message: 'warm-up' }, writer.token),
      ]);
      return [room, everyRoom, resumed, sse, pubsub, pubsubSse].every((sub) => sub.ids.length > 0) && pattern.events.length > 0;
    }, 'every subscriber live');
    const writes = startWriter({ url: () => b.httpUrl, token: writer.token, roomId: '0', stream: 'kills', channel });
    for (let kill = 0; kill < KILLS; kill++) {
      const restored = restoredCount(a);
      await writes.acknowledged(3);
      await killSome();
      await until(() => restoredCount(a) > restored, `restore ${kill + 1}`);
    }
    await writes.acknowledged(3);
    await writes.stop();
    const last = (await postData(b.httpUrl, SEND, { roomId: '0', text: 'last' }, writer.token)).sendMessage.id;
    await until(() => [room, everyRoom, resumed, sse].every((sub) => sub.ids.includes(last)), 'the last message everywhere', 20_000);
    for (const [form, sub] of Object.entries({ room, everyRoom, resumed, sse })) {
      expect({ form, ...tally(writes.messages, sub.ids) }).toEqual({ form, lost: 0, duplicated: 0 });
    }
    const markers = pubsub.codes.filter((code) => code === 'MISSED_MESSAGES').length;
    const missed = tally(
      writes.published.map(String),
      pubsub.ids.filter((id) => id !== 'warm-up'),
    );
    expect(markers).toBe(KILLS);
    // Over SSE the same event: `data: {"data":null,"errors":[{... "code":"MISSED_MESSAGES" ...}]}`.
    expect(pubsubSse.codes).toEqual(Array.from({ length: KILLS }, () => 'MISSED_MESSAGES'));
    // A pattern subscription too; each marker says what and when.
    const patternMarkers = pattern.events.flatMap((event) => event.errors ?? []);
    expect(patternMarkers).toHaveLength(KILLS);
    for (const marker of patternMarkers) {
      expect(marker.extensions).toMatchObject({ code: 'MISSED_MESSAGES', pattern: 'kills.*' });
      const { since, until: to } = marker.extensions as { since: string; until: string };
      expect(Date.parse(since)).toBeLessThanOrEqual(Date.parse(to));
    }
    expect(pattern.completed).toBe(false);
    expect(missed.duplicated).toBe(0);
    // What a subscriber without re-reading (plain pub/sub, or messageAdded before this fix) misses.
    measured.kills = { kills: KILLS, acknowledgedRounds: writes.messages.length, channelMissedPerKill: missed.lost / KILLS };
    await sse.close();
    await pubsubSse.close();
    await client.dispose();
  });

  it('announces rooms opened and users come online while the subscription was down, once each, after the restore', async () => {
    const others = await Promise.all([0, 1, 2].map((i) => signUpUser(b.httpUrl, `gap${i}`)));
    const client = wsClient(a.wsUrl, reader.token);
    const roomAdded = subscription(client, ROOM_ADDED);
    const presence = subscription(client, PRESENCE);
    const everyRoom = collect(client, MESSAGE_ADDED, {}, pickMessage);
    await until(() => a.app.webSockets.operationCount === 3 && a.app.webSockets.settingUpCount === 0, 'subscriptions set up');
    // A's subscriber is kept away while B opens rooms with the reader and the others come online,
    // each writing its first message in the new room.
    let keepAway = true;
    const restoredBefore = restoredCount(a);
    const killer = (async () => {
      while (keepAway) {
        await killSubscribers();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const tabs = [];
    const firstMessages: string[] = [];
    for (const other of others) {
      const room = (await postData(b.httpUrl, OPEN_ROOM, { userId: reader.id }, other.token)).openPrivateRoom.id;
      firstMessages.push((await postData(b.httpUrl, SEND, { roomId: room, text: 'hello' }, other.token)).sendMessage.id);
      tabs.push(await openTab(b.wsUrl, other.token));
    }
    keepAway = false;
    await killer;
    await until(() => restoredCount(a) > restoredBefore, 'restored');
    const ids = others.map((other) => other.id);
    await until(() => roomAdded.events.length >= others.length, 'every room announced');
    await until(() => ids.every((id) => presence.events.some((event) => event.data?.presence.user.id === id)), 'every user announced online');
    await until(() => firstMessages.every((id) => everyRoom.ids.includes(id)), 'the first message of every new room');
    // Once each: after one more message everywhere, nothing came twice.
    await postData(b.httpUrl, SEND, { roomId: '0', text: 'after the gap' }, writer.token);
    await until(() => everyRoom.ids.length >= firstMessages.length + 1, 'the later message');
    expect(roomAdded.events.map((event) => event.data?.roomAdded.id).sort()).toEqual([...new Set(roomAdded.events.map((event) => event.data?.roomAdded.id))].sort());
    expect(roomAdded.events).toHaveLength(others.length);
    for (const id of ids) expect(presence.events.filter((event) => event.data?.presence.user.id === id && event.data.presence.online)).toHaveLength(1);
    expect(tally(firstMessages, everyRoom.ids)).toEqual({ lost: 0, duplicated: 0 });
    await Promise.all(tabs.map((tab) => tab.dispose()));
    await client.dispose();
  });

  it('keeps events gapless and duplicate-free when the stream reader connection is killed again and again', async () => {
    const KILLS = 5;
    const stream = 'reader-kills';
    const client = wsClient(a.wsUrl, reader.token);
    const events = collect(client, EVENTS, { stream }, (data) => (data.events as { id: string }).id);
    const sse = collectSse(a.httpUrl, reader.token, EVENTS, { stream }, (data) => (data.events as { id: string }).id);
    // `events` without `after` starts at the reader's position when it subscribed: warm up until
    // both have had an entry, so that every acknowledged entry comes after.
    await until(async () => {
      await postData(b.httpUrl, ADD_EVENT, { stream, data: { warm: true } }, writer.token);
      return events.ids.length > 0 && sse.ids.length > 0;
    }, 'both readers live');
    const writes = startWriter({ url: () => b.httpUrl, token: writer.token, roomId: '0', stream, channel: 'reader.kills' });
    let killed = 0;
    while (killed < KILLS) {
      await writes.acknowledged(3);
      // A's blocked XREAD connections (the pool names them), as a network drop would take them.
      const list = await redis.client.client('LIST');
      const ids = String(list)
        .split('\n')
        .filter((line) => line.includes('name=switchboard:blocking') && line.includes('cmd=xread'))
        .map((line) => /id=(\d+)/.exec(line)![1]!);
      for (const id of ids) killed += Number(await redis.client.client('KILL', 'ID', id));
    }
    await writes.acknowledged(3);
    await writes.stop();
    await until(() => writes.events.every((id) => events.ids.includes(id) && sse.ids.includes(id)), 'every acknowledged entry', 20_000);
    expect(tally(writes.events, events.ids)).toEqual({ lost: 0, duplicated: 0 });
    expect(tally(writes.events, sse.ids)).toEqual({ lost: 0, duplicated: 0 });
    measured.readerKills = { kills: killed, acknowledgedEntries: writes.events.length };
    await sse.close();
    await client.dispose();
  });
});
