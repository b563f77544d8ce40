/** setTimeout's ceiling: a deadline further away is reached through several timers. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Cancelled entries left in the heap before it is rebuilt without them (see {@link Deadlines.cancel}). */
const MIN_REBUILD = 64;

/** One scheduled deadline; pass it to {@link Deadlines.cancel}. */
export interface Deadline<T> {
  readonly at: number;
  readonly item: T;
}

interface Entry<T> extends Deadline<T> {
  cancelled: boolean;
}

/**
 * Many deadlines behind one timer: a binary min-heap ordered by time, and one unref'd setTimeout
 * for the earliest. A Node Timeout with its closures costs about 0.5 KiB of heap; one per signed-in
 * user (session expiries) was the largest per-user item of an idle subscriber (docs/performance.md),
 * and every deadline here costs one small object. Cancelling marks the entry; the heap is rebuilt
 * without cancelled entries once they outnumber the live ones, so churn cannot grow it.
 */
export class Deadlines<T> {
  private heap: Entry<T>[] = [];
  private cancelled = 0;
  private timer: NodeJS.Timeout | null = null;
  /** When the timer fires (epoch ms); Infinity with no timer. */
  private timerAt = Infinity;

  /** @param onDue called once per deadline reached, with its item, in time order. */
  constructor(private readonly onDue: (item: T) => void) {}

  /** Live deadlines. */
  get size(): number {
    return this.heap.length - this.cancelled;
  }

  /** Schedules `item` at `at` (epoch ms). Infinity is never due and holds nothing: returns null. */
  add(at: number, item: T): Deadline<T> | null {
    if (at === Infinity) return null;
    const entry: Entry<T> = { at, item, cancelled: false };
    this.heap.push(entry);
    this.siftUp(this.heap.length - 1);
    if (at < this.timerAt) this.schedule();
    return entry;
  }

  /** Cancels a deadline (once; later calls and null are ignored). */
  cancel(deadline: Deadline<T> | null): void {
    const entry = deadline as Entry<T> | null;
    if (!entry || entry.cancelled) return;
    entry.cancelled = true;
    this.cancelled++;
    if (this.cancelled >= MIN_REBUILD && this.cancelled * 2 > this.heap.length) this.rebuild();
    else if (this.size === 0) this.clear();
  }

  /** Cancels every deadline and the timer. */
  clear(): void {
    this.heap = [];
    this.cancelled = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  private rebuild(): void {
    this.heap = this.heap.filter((entry) => !entry.cancelled);
    this.cancelled = 0;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    const first = this.heap[0];
    if (!first) return;
    const delay = Math.min(Math.max(0, first.at - Date.now()), MAX_TIMER_MS);
    this.timerAt = Date.now() + delay;
    this.timer = setTimeout(() => this.fire(), delay);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = Date.now();
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const entry = this.pop();
      if (entry.cancelled) continue;
      // Out of the heap now: marked (not counted) so that a later cancel is a no-op.
      entry.cancelled = true;
      this.onDue(entry.item);
    }
    this.schedule();
  }

  /** Removes the earliest entry, keeping the cancelled count right. */
  private pop(): Entry<T> {
    const heap = this.heap;
    const first = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    if (first.cancelled) this.cancelled--;
    return first;
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const entry = heap[index]!;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.at <= entry.at) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = entry;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const entry = heap[index]!;
    const half = heap.length >> 1;
    while (index < half) {
      let child = 2 * index + 1;
      if (child + 1 < heap.length && heap[child + 1]!.at < heap[child]!.at) child++;
      if (heap[child]!.at >= entry.at) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = entry;
  }
}
