import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createGroupWaits } from '../../src/streams/group-waits.js';
import type { HubEvent, StreamListener } from '../../src/streams/reader-hub.js';

// The wake-up rules of the wait rooms, against a stand-in for the shared reader that announces
// entries when told (the real reader, on a real Redis, is in streams-groups-shared-wait.test.ts).

function fakeHub() {
  const listeners = new Map<string, Set<StreamListener>>();
  return {
    subscribe(stream: string, listener: StreamListener) {
      const set = listeners.get(stream) ?? new Set<StreamListener>();
      set.add(listener);
      listeners.set(stream, set);
      return Promise.resolve({ from: '0-0', unsubscribe: () => set.delete(listener) });
    },
    announce(stream: string, count: number) {
      const events: HubEvent[] = Array.from({ length: count }, (_, i) => ({ event: { id: `1-${i}`, stream, data: {} }, bytes: 1 }));
      for (const listener of listeners.get(stream) ?? []) listener.onEvents(events);
    },
    followers: (stream: string) => listeners.get(stream)?.size ?? 0,
  };
}

const logger = pino({ level: 'silent' });
const never = new AbortController().signal;
const LONG = 60_000;

describe('group wait rooms', () => {
  it('wake one waiter per read-ahead of announced entries, longest waiting first, and pass a full read on', async () => {
    const hub = fakeHub();
    const waits = createGroupWaits({ hub, logger, probeMs: LONG });
    const members = await Promise.all([0, 1, 2, 3].map(() => waits.join('s', 'g', 10, 0)));
    const outcomes: string[] = [];
    const waiting = members.map((member, index) => member.wait(member.mark(), LONG, never).then((outcome) => outcomes.push(`${index}:${outcome}`)));
    expect(waits.stats()).toEqual({ rooms: 1, consumers: 4, waiting: 4 });

    hub.announce('s', 15);
    await Promise.all(waiting.slice(0, 2));
    expect(outcomes).toEqual(['0:woken', '1:woken']);
    expect(waits.stats().waiting).toBe(2);
    // The first read came back full: the next waiter is woken too; a short one wakes nobody.
    members[0]!.done(true);
    await waiting[2];
    members[1]!.done(false);
    members[2]!.done(false);
    expect(outcomes).toEqual(['0:woken', '1:woken', '2:woken']);
    expect(waits.stats().waiting).toBe(1);
    for (const member of members) member.leave();
    await waiting[3];
    expect(waits.stats()).toEqual({ rooms: 0, consumers: 0, waiting: 0 });
    expect(hub.followers('s')).toBe(0);
  });

  it('makes a consumer that was reading when an entry came with nobody waiting read again', async () => {
    const hub = fakeHub();
    const waits = createGroupWaits({ hub, logger, probeMs: LONG });
    const member = await waits.join('s', 'g', 10, 0);
    const mark = member.mark();
    // ... its read is under way, an entry is announced, nobody waits ...
    hub.announce('s', 1);
    expect(await member.wait(mark, LONG, never)).toBe('missed');
    // With nothing announced since its next mark, it waits.
    const again = member.mark();
    const outcome = member.wait(again, 20, never);
    expect(await outcome).toBe('timeout');
    member.leave();
  });

  it('hands a wake-up to the next waiter when the woken consumer leaves before reading', async () => {
    const hub = fakeHub();
    const waits = createGroupWaits({ hub, logger, probeMs: LONG });
    const [first, second] = await Promise.all([waits.join('s', 'g', 10, 0), waits.join('s', 'g', 10, 0)]);
    const firstWait = first!.wait(first!.mark(), LONG, never);
    const secondWait = second!.wait(second!.mark(), LONG, never);
    hub.announce('s', 1);
    expect(await firstWait).toBe('woken');
    first!.leave();
    expect(await secondWait).toBe('woken');
    second!.leave();
  });

  it('wakes one waiter on its probe although nothing was announced, and gives up on abort', async () => {
    const hub = fakeHub();
    const waits = createGroupWaits({ hub, logger, probeMs: 30 });
    const [one, two] = await Promise.all([waits.join('s', 'g', 10, 0), waits.join('s', 'g', 10, 0)]);
    const controller = new AbortController();
    const probed = one!.wait(one!.mark(), LONG, never);
    const aborted = two!.wait(two!.mark(), LONG, controller.signal);
    expect(await probed).toBe('woken');
    controller.abort();
    expect(await aborted).toBe('timeout');
    expect(waits.stats().waiting).toBe(0);
    one!.leave();
    two!.leave();
    waits.close();
  });

  it('runs one claim sweep per interval for the whole room, waking one waiter when it is due', async () => {
    const hub = fakeHub();
    const waits = createGroupWaits({ hub, logger, probeMs: LONG });
    const [one, two] = await Promise.all([waits.join('s', 'g', 10, 40), waits.join('s', 'g', 10, 40)]);
    // The first consumer ready sweeps; the other is not to sweep again within the interval.
    expect(one!.claimTurn()).toBe(true);
    expect(two!.claimTurn()).toBe(false);
    const outcomes: string[] = [];
    const waiting = [one!, two!].map((member, index) => member.wait(member.mark(), LONG, new AbortController().signal).then((outcome) => outcomes.push(`${index}:${outcome}`)));
    await waiting[0];
    expect(outcomes).toEqual(['0:claim']);
    expect(waits.stats().waiting).toBe(1);
    expect(two!.claimTurn()).toBe(false);
    one!.leave();
    two!.leave();
    await waiting[1];
    expect(outcomes).toEqual(['0:claim', '1:timeout']);
  });
});
