import { describe, expect, it, vi } from 'vitest';
import { EventQueue, type EventQueueOptions } from '../../src/live/queue.js';

function makeQueue(options: Partial<EventQueueOptions> = {}) {
  const onOverflow = vi.fn<() => void>();
  const onFinish = vi.fn<() => void>();
  const queue = new EventQueue<string>({ maxItems: 100, maxBytes: 1_000_000, onOverflow, onFinish, ...options });
  return { queue, onOverflow, onFinish };
}

/** Whether a promise has settled once every pending microtask has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

const DONE = { value: undefined, done: true };

describe('EventQueue', () => {
  it('delivers queued events in push order', async () => {
    const { queue } = makeQueue();
    queue.push('a');
    queue.push('b');
    queue.push('c');
    expect(queue.size).toBe(3);
    expect(await queue.next()).toEqual({ value: 'a', done: false });
    expect(await queue.next()).toEqual({ value: 'b', done: false });
    expect(await queue.next()).toEqual({ value: 'c', done: false });
    expect(queue.size).toBe(0);
    expect(queue.isFinished).toBe(false);
  });

  it('keeps order when pushes and pulls interleave', async () => {
    const { queue } = makeQueue();
    const received: string[] = [];
    const first = queue.next();
    queue.push('1');
    queue.push('2');
    received.push((await first).value as string);
    queue.push('3');
    received.push((await queue.next()).value as string);
    received.push((await queue.next()).value as string);
    expect(received).toEqual(['1', '2', '3']);
  });

  it('leaves a consumer waiting until something is pushed, then resolves it with that value', async () => {
    const { queue } = makeQueue();
    const pending = queue.next();
    expect(await settled(pending)).toBe(false);
    queue.push('hello', 5);
    expect(await pending).toEqual({ value: 'hello', done: false });
    // Handed over directly: nothing was queued.
    expect(queue.size).toBe(0);
  });

  it('works with for await', async () => {
    const { queue, onFinish } = makeQueue();
    queue.push('x');
    queue.push('y');
    queue.close();
    const received: string[] = [];
    for await (const value of queue) received.push(value);
    expect(received).toEqual(['x', 'y']);
    expect(onFinish).toHaveBeenCalledTimes(1);
  });

  it('is its own async iterator', () => {
    const { queue } = makeQueue();
    expect(queue[Symbol.asyncIterator]()).toBe(queue);
  });

  describe('overflow', () => {
    it('by count: accepts up to maxItems, then calls onOverflow once and ends the iterator', async () => {
      const { queue, onOverflow, onFinish } = makeQueue({ maxItems: 3 });
      queue.push('a');
      queue.push('b');
      queue.push('c');
      expect(onOverflow).not.toHaveBeenCalled();
      expect(queue.size).toBe(3);

      queue.push('d');
      expect(onOverflow).toHaveBeenCalledTimes(1);
      expect(onFinish).toHaveBeenCalledTimes(1);
      expect(queue.isFinished).toBe(true);
      expect(queue.size).toBe(0);

      queue.push('e');
      queue.push('f');
      expect(onOverflow).toHaveBeenCalledTimes(1);
      expect(onFinish).toHaveBeenCalledTimes(1);
      // What was queued is dropped: the consumer is cut off.
      expect(await queue.next()).toEqual(DONE);
      expect(await queue.next()).toEqual(DONE);
    });

    it('by bytes: accepts up to maxBytes, then calls onOverflow once and ends the iterator', async () => {
      const { queue, onOverflow, onFinish } = makeQueue({ maxBytes: 100 });
      queue.push('a', 60);
      queue.push('b', 40);
      expect(onOverflow).not.toHaveBeenCalled();
      expect(queue.size).toBe(2);

      queue.push('c', 1);
      expect(onOverflow).toHaveBeenCalledTimes(1);
      expect(onFinish).toHaveBeenCalledTimes(1);
      expect(queue.isFinished).toBe(true);

      queue.push('d', 1);
      expect(onOverflow).toHaveBeenCalledTimes(1);
      expect(await queue.next()).toEqual(DONE);
    });

    it('by bytes: a single event larger than maxBytes overflows an empty queue', async () => {
      const { queue, onOverflow } = makeQueue({ maxBytes: 10 });
      queue.push('big', 11);
      expect(onOverflow).toHaveBeenCalledTimes(1);
      expect(await queue.next()).toEqual(DONE);
    });

    it('frees the bytes of events the consumer has taken', async () => {
      const { queue, onOverflow } = makeQueue({ maxBytes: 100 });
      queue.push('a', 70);
      expect((await queue.next()).value).toBe('a');
      queue.push('b', 70);
      queue.push('c', 30);
      expect(onOverflow).not.toHaveBeenCalled();
      expect((await queue.next()).value).toBe('b');
      expect((await queue.next()).value).toBe('c');
    });

    it('frees the count of events the consumer has taken', async () => {
      const { queue, onOverflow } = makeQueue({ maxItems: 2 });
      for (let round = 0; round < 5; round++) {
        queue.push(`${round}a`);
        queue.push(`${round}b`);
        expect((await queue.next()).value).toBe(`${round}a`);
        expect((await queue.next()).value).toBe(`${round}b`);
      }
      expect(onOverflow).not.toHaveBeenCalled();
    });

    it('does not count an event handed straight to a waiting consumer', async () => {
      const { queue, onOverflow } = makeQueue({ maxItems: 1, maxBytes: 10 });
      const pending = queue.next();
      queue.push('direct', 50);
      expect(await pending).toEqual({ value: 'direct', done: false });
      queue.push('queued', 10);
      expect(onOverflow).not.toHaveBeenCalled();
      expect(queue.size).toBe(1);
    });

    it('is not triggered by close or abort', () => {
      const { queue, onOverflow } = makeQueue({ maxItems: 1 });
      queue.push('a');
      queue.close();
      queue.push('b');
      queue.abort();
      queue.push('c');
      expect(onOverflow).not.toHaveBeenCalled();
    });
  });

  describe('close', () => {
    it('lets the consumer drain what is queued, then completes', async () => {
      const { queue, onFinish } = makeQueue();
      queue.push('a');
      queue.push('b');
      queue.close();
      expect(queue.isFinished).toBe(false);
      expect(onFinish).not.toHaveBeenCalled();
      expect(await queue.next()).toEqual({ value: 'a', done: false });
      expect(onFinish).not.toHaveBeenCalled();
      expect(await queue.next()).toEqual({ value: 'b', done: false });
      expect(queue.isFinished).toBe(true);
      expect(onFinish).toHaveBeenCalledTimes(1);
      expect(await queue.next()).toEqual(DONE);
      expect(onFinish).toHaveBeenCalledTimes(1);
    });

    it('completes at once when nothing is queued', async () => {
      const { queue, onFinish } = makeQueue();
      queue.close();
      expect(queue.isFinished).toBe(true);
      expect(onFinish).toHaveBeenCalledTimes(1);
      expect(await queue.next()).toEqual(DONE);
    });

    it('resolves a waiting consumer with done', async () => {
      const { queue, onFinish } = makeQueue();
      const pending = queue.next();
      queue.close();
      expect(await pending).toEqual(DONE);
      expect(onFinish).toHaveBeenCalledTimes(1);
    });

    it('ignores pushes after close, before and after draining', async () => {
      const { queue } = makeQueue();
      queue.push('a');
      queue.close();
      queue.push('late');
      expect(queue.size).toBe(1);
      expect(await queue.next()).toEqual({ value: 'a', done: false });
      queue.push('later');
      expect(queue.size).toBe(0);
      expect(await queue.next()).toEqual(DONE);
    });

    it('calls onFinish once however often it is closed', async () => {
      const { queue, onFinish } = makeQueue();
      queue.close();
      queue.close();
      queue.abort();
      await queue.return();
      expect(onFinish).toHaveBeenCalledTimes(1);
    });
  });

  describe('abort', () => {
    it('drops what is queued and completes at once', async () => {
      const { queue, onFinish, onOverflow } = makeQueue({ maxBytes: 100 });
      queue.push('a', 50);
      queue.push('b', 50);
      queue.abort();
      expect(queue.size).toBe(0);
      expect(queue.isFinished).toBe(true);
      expect(onFinish).toHaveBeenCalledTimes(1);
      expect(onOverflow).not.toHaveBeenCalled();
      expect(await queue.next()).toEqual(DONE);
    });

    it('drops what is queued even after close', async () => {
      const { queue, onFinish } = makeQueue();
      queue.push('a');
      queue.close();
      queue.abort();
      expect(await queue.next()).toEqual(DONE);
      expect(onFinish).toHaveBeenCalledTimes(1);
    });

    it('resolves a waiting consumer with done', async () => {
      const { queue } = makeQueue();
      const pending = queue.next();
      queue.abort();
      expect(await pending).toEqual(DONE);
    });

    it('ignores pushes afterwards', async () => {
      const { queue } = makeQueue();
      queue.abort();
      queue.push('late');
      expect(queue.size).toBe(0);
      expect(await queue.next()).toEqual(DONE);
    });
  });

  describe('return', () => {
    it('finishes the iterator, drops what is queued and calls onFinish once', async () => {
      const { queue, onFinish } = makeQueue();
      queue.push('a');
      queue.push('b');
      expect(await queue.return()).toEqual(DONE);
      expect(queue.isFinished).toBe(true);
      expect(queue.size).toBe(0);
      expect(onFinish).toHaveBeenCalledTimes(1);
      expect(await queue.next()).toEqual(DONE);
      expect(await queue.return()).toEqual(DONE);
      expect(onFinish).toHaveBeenCalledTimes(1);
    });

    it('resolves a waiting consumer with done', async () => {
      const { queue } = makeQueue();
      const pending = queue.next();
      await queue.return();
      expect(await pending).toEqual(DONE);
    });

    it('is called when a for await loop breaks early', async () => {
      const { queue, onFinish } = makeQueue();
      queue.push('a');
      queue.push('b');
      for await (const value of queue) {
        expect(value).toBe('a');
        break;
      }
      expect(queue.isFinished).toBe(true);
      expect(onFinish).toHaveBeenCalledTimes(1);
    });

    it('makes later pushes no-ops', async () => {
      const { queue, onOverflow } = makeQueue({ maxItems: 1 });
      await queue.return();
      queue.push('a');
      queue.push('b');
      expect(queue.size).toBe(0);
      expect(onOverflow).not.toHaveBeenCalled();
    });
  });

  describe('throw', () => {
    it('finishes the iterator and rejects with the error', async () => {
      const { queue, onFinish } = makeQueue();
      queue.push('a');
      const error = new Error('consumer failed');
      await expect(queue.throw(error)).rejects.toBe(error);
      expect(queue.isFinished).toBe(true);
      expect(onFinish).toHaveBeenCalledTimes(1);
      expect(await queue.next()).toEqual(DONE);
    });

    it('wraps a thrown non-Error in an Error', async () => {
      const { queue } = makeQueue();
      await expect(queue.throw('plain text')).rejects.toThrow(new Error('plain text'));
    });
  });

  it('works without onFinish', async () => {
    const queue = new EventQueue<number>({ maxItems: 1, maxBytes: 10, onOverflow: () => undefined });
    queue.push(1);
    queue.close();
    expect(await queue.next()).toEqual({ value: 1, done: false });
    expect(await queue.next()).toEqual(DONE);
  });
});

describe('EventQueue with several pending reads', () => {
  it('resolves each pending next() in turn, and all of them when it finishes', async () => {
    const queue = new EventQueue<number>({ maxItems: 10, maxBytes: 1000, onOverflow: () => undefined });
    const first = queue.next();
    const second = queue.next();
    const third = queue.next();
    queue.push(1);
    queue.push(2);
    queue.abort();
    expect(await Promise.all([first, second, third])).toEqual([
      { value: 1, done: false },
      { value: 2, done: false },
      { value: undefined, done: true },
    ]);
  });

  it('calls onOverflow before it ends the iterator', () => {
    const calls: string[] = [];
    const queue = new EventQueue<number>({
      maxItems: 1,
      maxBytes: 1000,
      onOverflow: () => calls.push(`overflow, finished=${queue.isFinished}`),
      onFinish: () => calls.push('finish'),
    });
    queue.push(1);
    queue.push(2);
    expect(calls).toEqual(['overflow, finished=false', 'finish']);
  });
});
