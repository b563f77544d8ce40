/** Options of {@link EventQueue}. */
export interface EventQueueOptions {
  /** Most events held for a consumer that has not pulled them yet. */
  maxItems: number;
  /** Most bytes (as reported to `push`) held likewise. */
  maxBytes: number;
  /** Called once, synchronously, when a push would pass either limit; the queue is aborted right after. */
  onOverflow: () => void;
  /** Called once when the iterator is finished, however that happens. */
  onFinish?: () => void;
}

/**
 * A bounded async iterator between a push source (pub/sub) and a pull consumer (a transport that
 * awaits each write). It never grows past its limits: a consumer too slow to keep up is cut off
 * through `onOverflow` rather than buffered without bound.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: Array<{ value: T; bytes: number }> = [];
  private bytes = 0;
  private readonly waiting: Array<(result: IteratorResult<T>) => void> = [];
  private closing = false;
  private finished = false;
  /** Woken when the consumer has taken everything queued (see {@link whenEmpty}). */
  private emptied: Array<() => void> = [];

  constructor(private readonly options: EventQueueOptions) {}

  /** Hands an event to the consumer, or queues it. Ignored once the queue is closing. */
  push(value: T, bytes = 0): void {
    if (this.closing || this.finished) return;
    const waiter = this.waiting.shift();
    if (waiter) {
      waiter({ value, done: false });
      return;
    }
    if (this.items.length + 1 > this.options.maxItems || this.bytes + bytes > this.options.maxBytes) {
      this.options.onOverflow();
      this.abort();
      return;
    }
    this.items.push({ value, bytes });
    this.bytes += bytes;
  }

  /** Completes after the consumer has taken what is already queued. */
  close(): void {
    this.closing = true;
    if (this.items.length === 0) this.finish();
  }

  /** Completes now, dropping what is queued. */
  abort(): void {
    this.items.length = 0;
    this.bytes = 0;
    this.finish();
  }

  get isFinished(): boolean {
    return this.finished;
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * Resolves once the consumer has taken everything queued so far, or the queue has finished:
   * what a producer of a long replay waits on before it pushes the next page.
   */
  whenEmpty(): Promise<void> {
    if (this.items.length === 0 || this.finished) return Promise.resolve();
    return new Promise((resolve) => this.emptied.push(resolve));
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item) {
      this.bytes -= item.bytes;
      if (this.items.length === 0) {
        if (this.closing) this.finish();
        this.wakeEmptied();
      }
      return Promise.resolve({ value: item.value, done: false });
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting.push(resolve);
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.abort();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.abort();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private wakeEmptied(): void {
    if (this.emptied.length === 0) return;
    for (const wake of this.emptied.splice(0)) wake();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.wakeEmptied();
    for (const waiter of this.waiting.splice(0)) waiter({ value: undefined, done: true });
    this.options.onFinish?.();
  }
}
