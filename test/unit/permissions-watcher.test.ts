import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSessionWatcher } from '../../src/accounts/session-watcher.js';
import type { PubSubHub } from '../../src/redis/pubsub-hub.js';

const DAY_MS = 24 * 3600 * 1000;

function watcher() {
  // watch() needs neither the hub nor Redis: only start() and recheck() do.
  return createSessionWatcher({ hub: {} as PubSubHub, logger: pino({ level: 'silent' }), stillLive: async (ids) => ids.map(() => true) });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the session watcher and long-lived credentials', () => {
  it('ends a credential that expires beyond setTimeout’s ceiling (24.8 days) at its expiry, not at the ceiling', () => {
    vi.useFakeTimers();
    const ended: string[] = [];
    watcher().watch({ id: 'long', expiresAt: Date.now() + 60 * DAY_MS }, (reason) => ended.push(reason));
    vi.advanceTimersByTime(30 * DAY_MS);
    expect(ended).toEqual([]);
    vi.advanceTimersByTime(30 * DAY_MS - 1);
    expect(ended).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ended).toEqual(['expired']);
  });

  it('never expires an API key (expiresAt Infinity), and stops watching when asked', () => {
    vi.useFakeTimers();
    const ended: string[] = [];
    const stop = watcher().watch({ id: 'apikey:1', expiresAt: Infinity }, (reason) => ended.push(reason));
    vi.advanceTimersByTime(400 * DAY_MS);
    expect(ended).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    stop();
  });
});
