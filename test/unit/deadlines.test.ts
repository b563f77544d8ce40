import { afterEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from '../../src/shared/deadlines.js';

const DAY_MS = 24 * 3600 * 1000;

afterEach(() => {
  vi.useRealTimers();
});

describe('Deadlines: many deadlines behind one timer', () => {
  it('calls each item once at its time, in time order, whatever the order they were added in', () => {
    vi.useFakeTimers();
    const due: Array<[string, number]> = [];
    const start = Date.now();
    const deadlines = new Deadlines<string>((item) => due.push([item, Date.now() - start]));
    for (const [item, at] of [['c', 300], ['a', 100], ['d', 400], ['b', 200], ['a2', 100]] as const) deadlines.add(start + at, item);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(99);
    expect(due).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(due.map(([item]) => item).sort()).toEqual(['a', 'a2']);
    vi.advanceTimersByTime(1000);
    expect(due.map(([, at]) => at)).toEqual([100, 100, 200, 300, 400]);
    expect(due.slice(2).map(([item]) => item)).toEqual(['b', 'c', 'd']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never calls a cancelled deadline, and an earlier one added later moves the timer forward', () => {
    vi.useFakeTimers();
    const due: string[] = [];
    const deadlines = new Deadlines<string>((item) => due.push(item));
    const late = deadlines.add(Date.now() + 10_000, 'late');
    deadlines.add(Date.now() + 50, 'early');
    const cancelled = deadlines.add(Date.now() + 20, 'cancelled');
    deadlines.cancel(cancelled);
    deadlines.cancel(cancelled);
    vi.advanceTimersByTime(50);
    expect(due).toEqual(['early']);
    deadlines.cancel(late);
    expect(deadlines.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(20_000);
    expect(due).toEqual(['early']);
  });

  it('reaches a deadline beyond setTimeout’s ceiling (24.8 days) at its time, not at the ceiling', () => {
    vi.useFakeTimers();
    const due: string[] = [];
    const deadlines = new Deadlines<string>((item) => due.push(item));
    deadlines.add(Date.now() + 60 * DAY_MS, 'long');
    vi.advanceTimersByTime(60 * DAY_MS - 1);
    expect(due).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(due).toEqual(['long']);
  });

  it('holds nothing for Infinity', () => {
    vi.useFakeTimers();
    const deadlines = new Deadlines<string>(() => undefined);
    expect(deadlines.add(Infinity, 'never')).toBeNull();
    expect(deadlines.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not grow under churn: cancelled entries are dropped once they outnumber the live ones', () => {
    vi.useFakeTimers();
    const deadlines = new Deadlines<number>(() => undefined);
    const keep = Array.from({ length: 10 }, (_, i) => deadlines.add(Date.now() + DAY_MS + i, i));
    for (let i = 0; i < 100_000; i++) deadlines.cancel(deadlines.add(Date.now() + 7 * DAY_MS + i, i));
    expect(deadlines.size).toBe(10);
    // The heap's length (live + cancelled) stays within twice the live count plus the rebuild floor.
    expect((deadlines as unknown as { heap: unknown[] }).heap.length).toBeLessThan(10 * 2 + 64 + 1);
    for (const deadline of keep) deadlines.cancel(deadline);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('lets a callback add and cancel deadlines', () => {
    vi.useFakeTimers();
    const due: string[] = [];
    let other: ReturnType<Deadlines<string>['add']> = null;
    const deadlines = new Deadlines<string>((item) => {
      due.push(item);
      if (item === 'first') {
        deadlines.add(Date.now() + 10, 'added');
        deadlines.cancel(other);
      }
    });
    deadlines.add(Date.now() + 10, 'first');
    other = deadlines.add(Date.now() + 11, 'other');
    vi.advanceTimersByTime(10);
    vi.advanceTimersByTime(10);
    expect(due).toEqual(['first', 'added']);
  });
});
