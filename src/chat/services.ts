import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { UserStore } from '../accounts/users.js';
import type { Config } from '../config.js';
import type { LiveEngine } from '../live/engine.js';
import type { PubSubHub } from '../redis/pubsub-hub.js';
import { type LateReplicas, replicaAcksOf } from '../redis/replica-acks.js';
import { type ChatBus, createChatBus } from './chat-bus.js';
import { seedDemoData } from './demo-data.js';
import { type MessageStore, createMessageStore } from './message-store.js';
import { type Presence, createPresence } from './presence.js';
import { type RoomService, createRoomService } from './rooms.js';

/** Everything the chat needs at run time, built once per process. */
export interface ChatServices {
  bus: ChatBus;
  messages: MessageStore;
  rooms: RoomService;
  presence: Presence;
  /** Subscribes to `MESSAGES`, writes the demo data when due, starts the presence heartbeat. */
  start(): Promise<void>;
  /** Stops the heartbeat, waits for presence writes, unsubscribes. */
  stop(): Promise<void>;
}

/**
 * What the chat's resolvers use of the process: their part of `Services`, wired by app.ts
 * (`ChatServices` is the chat's own bundle inside it).
 */
export interface ChatDomainServices {
  chat: ChatServices;
  /** The delivery of `messageAdded`, `presence` and `roomAdded` (src/live). */
  live: LiveEngine;
  config: Pick<Config, 'messagesPageMax'>;
}

/** The chat's services of a request: resolvers reach nothing else. */
export const chatOf = (context: { services: ChatDomainServices }): ChatDomainServices => context.services;

/** A connection not renewed for this many heartbeats counts as gone (its instance crashed). */
const PRESENCE_EXPIRY_BEATS = 3;

export function createChatServices(redis: Redis, hub: PubSubHub, users: UserStore, config: Config, logger: Logger, lateReplicas?: LateReplicas): ChatServices {
  // The seed envelope's serverId: a number, random per process.
  const messages = createMessageStore(redis, logger);
  const bus = createChatBus({
    redis,
    hub,
    serverId: randomInt(1, 2 ** 31 - 1),
    messages,
    logger,
    replicaAcks: replicaAcksOf(config, 'message', lateReplicas),
    // A send is failed once it waited the command timeout, never sent late; it can take two
    // commands (EVALSHA, then EVAL on NOSCRIPT: a failover's new master lacks the script).
    maxSendDelayMs: 2 * config.redisCommandTimeoutMs,
  });
  const rooms = createRoomService(redis, users, messages, bus, { maxMessageLength: config.chatMessageMaxLength });
  const presence = createPresence({
    redis,
    bus,
    logger,
    heartbeatMs: config.presenceHeartbeatMs,
    expiryMs: config.presenceHeartbeatMs * PRESENCE_EXPIRY_BEATS,
  });
  return {
    bus,
    messages,
    rooms,
    presence,
    async start() {
      await bus.start();
      if (config.seedDemo) await seedDemoData(redis, users, messages, logger);
      presence.start();
    },
    async stop() {
      await presence.stop();
      bus.stop();
    },
  };
}
