// What a request wrote to Redis, seen by Redis itself: keyspace notifications. Stronger than
// comparing snapshots (a key written back to its old value, or created and deleted, shows), and
// untouched by a machine's load: no snapshot can be overtaken by a TTL running out, since an
// expiry is an event of its own.
import type { Redis } from 'ioredis';

/** One change to one key: `event` is Redis's name for it (`set`, `hset`, `incrby`, `del`, `expire`, `expired`, ...). */
export interface KeyEvent {
  key: string;
  event: string;
}

/** A recording of every change to any key of a standalone Redis. */
export interface KeyWatch {
  /** The changes so far, in the order Redis made them. */
  readonly events: readonly KeyEvent[];
  /**
   * Resolves with every change made before this call: it writes a marker key and waits for that
   * write's own notification, which Redis sends after those of every earlier command.
   */
  settle(): Promise<KeyEvent[]>;
  /** Stops recording. */
  stop(): Promise<void>;
}

let markers = 0;

/** Turns keyspace notifications on for `client`'s Redis and records every change from now on. */
export async function watchKeys(client: Redis): Promise<KeyWatch> {
  // K: keyspace channels; A: every class of event, expiries (`expired`) included.
  await client.config('SET', 'notify-keyspace-events', 'KA');
  const subscriber = client.duplicate();
  const events: KeyEvent[] = [];
  const waiting = new Map<string, () => void>();
  subscriber.on('pmessage', (_pattern: string, channel: string, event: string) => {
    const key = channel.slice(channel.indexOf(':') + 1);
    const settled = waiting.get(key);
    if (settled) {
      waiting.delete(key);
      settled();
    } else if (!key.startsWith('test:keyspace-marker:')) {
      events.push({ key, event });
    }
  });
  await subscriber.psubscribe('__keyspace@0__:*');
  return {
    events,
    async settle() {
      const marker = `test:keyspace-marker:${process.pid}:${++markers}`;
      const seen = new Promise<void>((resolve) => waiting.set(marker, resolve));
      // SET, then DEL: the marker leaves nothing behind; its DEL's notification is ignored.
      await client.set(marker, '1');
      await seen;
      await client.del(marker);
      return [...events];
    },
    async stop() {
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
