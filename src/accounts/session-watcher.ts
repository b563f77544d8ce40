import type { Logger } from 'pino';
import { channels } from '../redis/keys.js';
import type { PubSubHub } from '../redis/pubsub-hub.js';
import { type Deadline, Deadlines } from '../common/deadlines.js';
import type { Session } from './sessions.js';

/** Why a watched session ended. */
export type SessionEnd = 'signed-out' | 'expired';

/** Options of {@link createSessionWatcher}. */
export interface SessionWatcherOptions {
  hub: PubSubHub;
  logger: Logger;
  /** Which of these session ids still exist in Redis (one round trip). */
  stillLive: (sessionIds: string[]) => Promise<boolean[]>;
  /**
   * How often every watched session is checked against Redis, for the sign-outs whose
   * announcement was lost while the subscriber connection was reconnecting. Default 30 s.
   */
  recheckMs?: number;
}

/**
 * Tells local connections and subscriptions that their session ended, wherever `signOut` ran
 * and whenever the session expires. Sign-outs arrive on one channel; since pub/sub drops what is
 * published while a subscriber reconnects, watched sessions are also checked against Redis after
 * each reconnect ({@link SessionWatcher.recheck}) and periodically.
 */
export interface SessionWatcher {
  /** Subscribes to the session-ended channel and starts the periodic check. */
  start(): Promise<void>;
  /**
   * Calls `onEnded` once when the session ends or expires (or the JWT expires, or the API key is
   * revoked); returns the function that stops watching.
   */
  watch(session: Pick<Session, 'id' | 'expiresAt'>, onEnded: (reason: SessionEnd) => void): () => void;
  /** Checks every watched session against Redis now and ends those that are gone. */
  recheck(): Promise<void>;
  /**
   * {@link SessionWatcher.recheck} after the subscriber connection was restored (sign-outs
   * published meanwhile were lost), retried until it succeeds ({@link RECHECK_ATTEMPTS} at most):
   * right after a cluster failover the sessions' master may not answer yet.
   */
  recheckAfterGap(): Promise<void>;
  stop(): void;
}

const DEFAULT_RECHECK_MS = 30_000;
/**
 * Sessions ended lately, remembered for a watch that arrives just after the announcement (its
 * session was resolved before the sign-out): at most this many, for one recheck interval.
 */
const RECENTLY_ENDED_MAX = 10_000;
/** Attempts of {@link SessionWatcher.recheckAfterGap}, 200 ms apart and doubling (about 50 s in all). */
export const RECHECK_ATTEMPTS = 8;

type OnEnded = (reason: SessionEnd) => void;

/**
 * The connections and subscriptions watching one session, and its expiry. Kept small: there is
 * one per signed-in user with a live connection (an array, since one callback is the common case).
 */
interface Watched {
  callbacks: OnEnded[];
  /** null for credentials that do not expire (API keys). */
  expiry: Deadline<string> | null;
}

export function createSessionWatcher(options: SessionWatcherOptions): SessionWatcher {
  const { hub, logger } = options;
  const watched = new Map<string, Watched>();
  let unsubscribe: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;
  // Every session's expiry behind one timer (sessions do not slide, so a deadline never moves).
  const expiries = new Deadlines<string>((sessionId) => notify(sessionId, 'expired'));
  const rememberMs = options.recheckMs ?? DEFAULT_RECHECK_MS;
  /** Session id → why and when it ended (oldest first). */
  const recentlyEnded = new Map<string, { reason: SessionEnd; at: number }>();

  const remember = (sessionId: string, reason: SessionEnd) => {
    const now = Date.now();
    recentlyEnded.delete(sessionId);
    recentlyEnded.set(sessionId, { reason, at: now });
    for (const [id, ended] of recentlyEnded) {
      if (recentlyEnded.size <= RECENTLY_ENDED_MAX && ended.at > now - rememberMs) break;
      recentlyEnded.delete(id);
    }
  };

  const endedLately = (sessionId: string): SessionEnd | null => {
    const ended = recentlyEnded.get(sessionId);
    return ended && ended.at > Date.now() - rememberMs ? ended.reason : null;
  };

  const notify = (sessionId: string, reason: SessionEnd) => {
    remember(sessionId, reason);
    const entry = watched.get(sessionId);
    if (!entry) return;
    watched.delete(sessionId);
    expiries.cancel(entry.expiry);
    for (const onEnded of entry.callbacks.slice()) {
      try {
        onEnded(reason);
      } catch (error) {
        logger.error({ err: error }, 'session-ended callback failed');
      }
    }
  };

  const recheck = async () => {
    const ids = [...watched.keys()];
    if (ids.length === 0) return;
    const live = await options.stillLive(ids);
    ids.forEach((id, i) => {
      if (!live[i]) notify(id, 'signed-out');
    });
  };

  const recheckAfterGap = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await recheck();
        return;
      } catch (error) {
        if (attempt >= RECHECK_ATTEMPTS) throw error;
        logger.debug({ err: error, attempt }, 'session check after a pub/sub gap failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** (attempt - 1)).unref());
      }
    }
  };

  return {
    recheckAfterGap,
    async start() {
      unsubscribe = await hub.subscribe({ kind: 'channel', name: channels.sessionEnded }, ({ payload }) => notify(payload, 'signed-out'));
      timer = setInterval(() => {
        recheck().catch((error: unknown) => logger.warn({ err: error }, 'session check failed'));
      }, options.recheckMs ?? DEFAULT_RECHECK_MS);
      timer.unref();
    },
    watch(session, onEnded) {
      const ended = endedLately(session.id);
      if (ended !== null) {
        // Ended just before this watch: it ends on the next tick (never inside the caller's watch).
        let watching = true;
        setImmediate(() => {
          if (!watching) return;
          watching = false;
          try {
            onEnded(ended);
          } catch (error) {
            logger.error({ err: error }, 'session-ended callback failed');
          }
        });
        return () => void (watching = false);
      }
      let entry = watched.get(session.id);
      if (!entry) {
        entry = { callbacks: [], expiry: expiries.add(session.expiresAt, session.id) };
        watched.set(session.id, entry);
      }
      entry.callbacks.push(onEnded);
      const home = entry;
      const sessionId = session.id;
      return () => {
        const index = home.callbacks.lastIndexOf(onEnded);
        if (index < 0) return;
        home.callbacks.splice(index, 1);
        if (home.callbacks.length === 0 && watched.get(sessionId) === home) {
          expiries.cancel(home.expiry);
          watched.delete(sessionId);
        }
      };
    },
    recheck,
    stop() {
      unsubscribe?.();
      unsubscribe = null;
      if (timer) clearInterval(timer);
      timer = null;
      expiries.clear();
      recentlyEnded.clear();
    },
  };
}
