import type { Logger } from 'pino';
import type { StreamReaderHub, StreamSubscription } from './reader-hub.js';

/**
 * How often a group with waiting consumers is read anyway (one non-blocking XREADGROUP by one
 * of them), whatever the shared reader says: the safety net for an entry no wake-up announced
 * (an `XGROUP SETID` back in the stream, a reader that ended). Entries are never stranded for
 * longer than this.
 */
export const GROUP_PROBE_MS = 2000;

/** Why {@link GroupWaiter.wait} returned. */
export type WaitOutcome =
  /** The room handed this consumer a wake-up: read now, then {@link GroupWaiter.done} with what came. */
  | 'woken'
  /** A wake-up came while this consumer was reading and nobody could take it: read again (no hand-over owed). */
  | 'missed'
  /** The room's claim sweep is due and this consumer is to run it (see group-consumer.ts). */
  | 'claim'
  /** The time given ran out, or the signal aborted. */
  | 'timeout';

/**
 * One consumer's place in the wait room of its stream and group on this instance. Between two
 * reads of new entries (`XREADGROUP ... >`, non-blocking, on the command connection) it waits
 * here, holding no Redis connection.
 */
export interface GroupWaiter {
  /** A mark to take just before each read of new entries, for {@link GroupWaiter.wait}. */
  mark(): number;
  /**
   * Waits for a wake-up, at most `timeoutMs`. Returns 'missed' at once when a wake-up since
   * `mark` found no waiter (it came while this consumer was reading).
   */
  wait(mark: number, timeoutMs: number, signal: AbortSignal): Promise<WaitOutcome>;
  /**
   * After a read of new entries: `full` (it returned as many as it asked for, so more may be
   * there) wakes the next waiter. A consumer that was 'woken' must call this (or `leave`).
   */
  done(full: boolean): void;
  /**
   * Whether this consumer is to sweep the group for gone consumers' entries now (one sweep per
   * room per claim interval, whichever consumer is ready first); true reserves the sweep.
   */
  claimTurn(): boolean;
  /** Leaves the room; a wake-up this consumer held and had not used goes to the next waiter. */
  leave(): void;
}

/**
 * Wait rooms of consumer groups: every `groupEvents` consumer of a stream and group on this
 * instance waits in one room, which follows the stream with the instance's shared reader
 * ({@link StreamReaderHub}: one `XREAD BLOCK` for every followed stream, which sees entries of
 * any writer, other instances and plain XADD included). When new entries come, the room wakes
 * as many waiting consumers as the entries need (one per read-ahead's worth, longest waiting
 * first); each does a non-blocking `XREADGROUP ... >`. A read that comes back full wakes the next,
 * so a backlog is drained by as many as are waiting. So waiting costs no connection, and an idle
 * group costs one read per {@link GROUP_PROBE_MS}, not one blocked read per consumer. The room
 * also runs the group's claim sweep (of gone consumers' entries, see group-consumer.ts) once per claim
 * interval through one of its consumers, the first ready, instead of one sweep per consumer.
 */
export interface GroupWaits {
  /**
   * Joins the room of `stream` and `group` (opening it, and its follow of the stream, with the
   * first consumer). Resolves once no entry added from now on can go unannounced.
   * @param readAhead the most entries one read of the joining consumer takes.
   * @param claimIntervalMs how often the room's group is swept for gone consumers' entries; 0: never.
   * @throws what the shared reader's `subscribe` throws (BAD_USER_INPUT when the key is not a stream).
   */
  join(stream: string, group: string, readAhead: number, claimIntervalMs: number): Promise<GroupWaiter>;
  /** Rooms open, consumers in them, consumers waiting now (for tests and metrics). */
  stats(): { rooms: number; consumers: number; waiting: number };
  /** Stops every probe timer; consumers still in a room wait on their own time-outs only. */
  close(): void;
}

/** Options of {@link createGroupWaits}. */
export interface GroupWaitsOptions {
  /** The instance's shared stream reader. */
  hub: Pick<StreamReaderHub, 'subscribe'>;
  logger: Logger;
  /** Default {@link GROUP_PROBE_MS}. */
  probeMs?: number;
}

interface Waiting {
  resolve(outcome: WaitOutcome): void;
}

interface Member {
  waiting: Waiting | null;
  /** Woken and not done yet: the wake-up is owed to the next waiter if this one leaves. */
  holding: boolean;
}

interface Room {
  key: string;
  stream: string;
  readAhead: number;
  members: Set<Member>;
  /** Waiting members, longest waiting first. */
  queue: Member[];
  /** Counts wake-ups that found no waiter: a consumer reading meanwhile reads again. */
  missed: number;
  subscription: StreamSubscription | null;
  /** The follow under way, if any. */
  following: Promise<void> | null;
  ready: Promise<void>;
  probe: NodeJS.Timeout | null;
  claimIntervalMs: number;
  /** When the next claim sweep is due; a waiter is woken for it. */
  nextClaimAt: number;
  claimTimer: NodeJS.Timeout | null;
  closed: boolean;
}

export function createGroupWaits(options: GroupWaitsOptions): GroupWaits {
  const { hub, logger } = options;
  const probeMs = options.probeMs ?? GROUP_PROBE_MS;
  const rooms = new Map<string, Room>();
  let closed = false;

  /** Wakes up to `count` waiters, longest waiting first; what no waiter takes is counted as missed. */
  function wake(room: Room, count: number, outcome: 'woken' | 'claim' = 'woken'): void {
    for (let i = 0; i < count; i++) {
      const member = room.queue.shift();
      if (!member) {
        if (outcome === 'woken') room.missed++;
        break;
      }
      const waiting = member.waiting;
      member.waiting = null;
      if (outcome === 'woken') member.holding = true;
      waiting?.resolve(outcome);
    }
    updateProbe(room);
  }

  /** Reserves the room's claim sweep when it is due. */
  function takeClaim(room: Room): boolean {
    if (room.claimIntervalMs <= 0 || Date.now() < room.nextClaimAt) return false;
    room.nextClaimAt = Date.now() + room.claimIntervalMs;
    return true;
  }

  function follow(room: Room): Promise<void> {
    // One follow at a time: the probe retries while a slow subscribe is still pending.
    if (room.following) return room.following;
    room.following = hub
      .subscribe(room.stream, {
        onEvents: (events) => wake(room, Math.ceil(events.length / room.readAhead)),
        onEnd: () => {
          // The reader stopped (the key changed type, or the server is stopping): let every
          // waiter read now (it gets the error, or finds nothing); the probe goes on meanwhile.
          room.subscription = null;
          wake(room, room.queue.length);
        },
      })
      .then((subscription) => {
        if (room.closed) subscription.unsubscribe();
        else room.subscription = subscription;
      })
      .finally(() => {
        room.following = null;
      });
    return room.following;
  }

  function updateProbe(room: Room): void {
    if (room.queue.length > 0 && !room.claimTimer && room.claimIntervalMs > 0 && !closed && !room.closed) {
      // While consumers wait, the longest waiting one is woken when the sweep is due.
      room.claimTimer = setTimeout(() => {
        room.claimTimer = null;
        if (room.queue.length > 0 && takeClaim(room)) wake(room, 1, 'claim');
        else updateProbe(room);
      }, Math.max(0, room.nextClaimAt - Date.now()));
      room.claimTimer.unref();
    } else if (room.queue.length === 0 && room.claimTimer) {
      clearTimeout(room.claimTimer);
      room.claimTimer = null;
    }
    if (room.queue.length > 0 && !room.probe && !closed) {
      room.probe = setInterval(() => {
        if (room.queue.length === 0) return;
        // The safety net: one waiter reads whatever was announced or not.
        wake(room, 1);
        if (!room.subscription && !room.closed && !closed) {
          follow(room).catch((error: unknown) => logger.debug({ err: error, stream: room.stream }, 'group wait room could not follow its stream'));
        }
      }, probeMs);
      room.probe.unref();
    } else if (room.queue.length === 0 && room.probe) {
      clearInterval(room.probe);
      room.probe = null;
    }
  }

  function closeRoom(room: Room): void {
    room.closed = true;
    if (rooms.get(room.key) === room) rooms.delete(room.key);
    if (room.probe) clearInterval(room.probe);
    room.probe = null;
    if (room.claimTimer) clearTimeout(room.claimTimer);
    room.claimTimer = null;
    room.subscription?.unsubscribe();
    room.subscription = null;
  }

  function roomFor(stream: string, group: string, readAhead: number, claimIntervalMs: number): Room {
    // Stream names hold no spaces and group names no control characters: a tab joins them safely.
    const key = `${stream}\t${group}`;
    const existing = rooms.get(key);
    if (existing) return existing;
    const room: Room = {
      key,
      stream,
      readAhead: Math.max(1, readAhead),
      members: new Set(),
      queue: [],
      missed: 0,
      subscription: null,
      following: null,
      ready: Promise.resolve(),
      probe: null,
      claimIntervalMs: Math.max(0, claimIntervalMs),
      nextClaimAt: 0,
      claimTimer: null,
      closed: false,
    };
    rooms.set(key, room);
    room.ready = follow(room);
    room.ready.catch(() => closeRoom(room));
    return room;
  }

  return {
    async join(stream, group, readAhead, claimIntervalMs) {
      const room = roomFor(stream, group, readAhead, claimIntervalMs);
      const member: Member = { waiting: null, holding: false };
      room.members.add(member);
      try {
        await room.ready;
      } catch (error) {
        room.members.delete(member);
        throw error;
      }
      const unqueue = () => {
        const index = room.queue.indexOf(member);
        if (index >= 0) room.queue.splice(index, 1);
        updateProbe(room);
      };
      let left = false;
      return {
        mark: () => room.missed,
        wait(mark, timeoutMs, signal) {
          if (left || room.missed !== mark) return Promise.resolve(left ? 'timeout' : 'missed');
          if (signal.aborted) return Promise.resolve('timeout');
          return new Promise<WaitOutcome>((resolve) => {
            const finish = (outcome: WaitOutcome) => {
              clearTimeout(timer);
              signal.removeEventListener('abort', onAbort);
              resolve(outcome);
            };
            const giveUp = () => {
              if (member.waiting !== waiting) return;
              member.waiting = null;
              unqueue();
              finish('timeout');
            };
            const onAbort = giveUp;
            const waiting: Waiting = { resolve: finish };
            const timer = setTimeout(giveUp, Math.max(0, timeoutMs));
            signal.addEventListener('abort', onAbort, { once: true });
            member.waiting = waiting;
            room.queue.push(member);
            updateProbe(room);
          });
        },
        done(full) {
          member.holding = false;
          // Full: more may be waiting in the group. (Passed on whether or not this read was a
          // wake-up: a consumer that joins a backlog brings the other waiters in too.)
          if (full) wake(room, 1);
        },
        claimTurn: () => takeClaim(room),
        leave() {
          if (left) return;
          left = true;
          if (member.waiting) {
            const waiting = member.waiting;
            member.waiting = null;
            waiting.resolve('timeout');
          }
          unqueue();
          room.members.delete(member);
          // A wake-up it took and never used belongs to someone else.
          if (member.holding) {
            member.holding = false;
            wake(room, 1);
          }
          if (room.members.size === 0) closeRoom(room);
        },
      };
    },
    stats() {
      let consumers = 0;
      let waiting = 0;
      for (const room of rooms.values()) {
        consumers += room.members.size;
        waiting += room.queue.length;
      }
      return { rooms: rooms.size, consumers, waiting };
    },
    close() {
      closed = true;
      for (const room of rooms.values()) {
        if (room.probe) clearInterval(room.probe);
        room.probe = null;
        if (room.claimTimer) clearTimeout(room.claimTimer);
        room.claimTimer = null;
      }
    },
  };
}
