import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** A channel name, or a PSUBSCRIBE glob. */
export type Topic = { kind: 'channel'; name: string } | { kind: 'pattern'; pattern: string };

/** What a listener gets: the channel it was published on and the raw text. */
export interface PubSubMessage {
  channel: string;
  payload: string;
}

export type PubSubListener = (message: PubSubMessage) => void;

/**
 * One Redis SUBSCRIBE (or PSUBSCRIBE) per topic per process, however many local listeners it has.
 * `subscribe` resolves only once Redis has confirmed the subscription, so anything published after
 * that is delivered: the lazy-subscribe gap of graphql-redis-subscriptions cannot happen here.
 */
export interface PubSubHub {
  /**
   * Adds a listener; resolves with its remover once Redis confirms the topic is subscribed.
   * @throws when Redis refuses or cannot be reached; nothing is left registered then.
   */
  subscribe(topic: Topic, listener: PubSubListener): Promise<() => void>;
  /** How many Redis subscriptions this process holds (for tests and metrics). */
  topicCount(): number;
}

interface TopicEntry {
  listeners: Set<PubSubListener>;
  ready: Promise<unknown>;
}

const topicKey = (topic: Topic) => (topic.kind === 'channel' ? `c\u0000${topic.name}` : `p\u0000${topic.pattern}`);

/** Builds the hub on a connection dedicated to subscriber mode. Attaches its listeners at once. */
export function createPubSubHub(subscriber: Redis, logger: Logger): PubSubHub {
  const topics = new Map<string, TopicEntry>();

  const dispatch = (key: string, channel: string, payload: string) => {
    const entry = topics.get(key);
    if (!entry) return;
    for (const listener of entry.listeners) {
      try {
        listener({ channel, payload });
      } catch (error) {
        logger.error({ err: error, channel }, 'pub/sub listener failed');
      }
    }
  };
  subscriber.on('message', (channel: string, payload: string) => dispatch(`c\u0000${channel}`, channel, payload));
  subscriber.on('pmessage', (pattern: string, channel: string, payload: string) =>
    dispatch(`p\u0000${pattern}`, channel, payload),
  );

  const redisSubscribe = (topic: Topic) =>
    topic.kind === 'channel' ? subscriber.subscribe(topic.name) : subscriber.psubscribe(topic.pattern);
  const redisUnsubscribe = (topic: Topic) =>
    topic.kind === 'channel' ? subscriber.unsubscribe(topic.name) : subscriber.punsubscribe(topic.pattern);

  return {
    async subscribe(topic, listener) {
      const key = topicKey(topic);
      let entry = topics.get(key);
      if (!entry) {
        // Commands on one connection run in order, so a SUBSCRIBE sent after a pending
        // UNSUBSCRIBE of the same topic leaves it subscribed.
        entry = { listeners: new Set(), ready: redisSubscribe(topic) };
        topics.set(key, entry);
      }
      const current = entry;
      current.listeners.add(listener);
      try {
        await current.ready;
      } catch (error) {
        current.listeners.delete(listener);
        if (topics.get(key) === current) topics.delete(key);
        throw error;
      }
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        current.listeners.delete(listener);
        if (current.listeners.size === 0 && topics.get(key) === current) {
          topics.delete(key);
          redisUnsubscribe(topic).catch((error: unknown) => logger.warn({ err: error, topic }, 'unsubscribe failed'));
        }
      };
    },
    topicCount: () => topics.size,
  };
}
