/**
 * Events of one subscription between the owning subgraph and the client's socket. The upstream is
 * read as fast as it produces, into a queue of bounded length: a client that reads slower than its
 * events arrive overflows it and is dropped (onOverflow), instead of growing the process's memory
 * without end or holding up the upstream that other subscribers share.
 *
 * Hand-written rather than an async generator: a generator cannot be returned while it awaits the
 * next event, and a client that leaves must release its upstream (pub/sub channels) at once.
 */
export interface EventQueueOptions<T, U> {
  maxQueued: number;
  /** Turns an upstream event into what the client receives (the rest of the query plan). */
  complete(event: T): Promise<U>;
  onOverflow(): void;
}

export function eventQueue<T, U>(upstream: AsyncIterator<T>, options: EventQueueOptions<T, U>): AsyncIterableIterator<U> {
  const queued: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let finished = false;
  let failure: unknown;

  const close = async () => {
    if (finished) return;
    finished = true;
    queued.length = 0;
    waiting?.({ done: true, value: undefined });
    waiting = undefined;
    await upstream.return?.();
  };

  void (async () => {
    try {
      for (;;) {
        const result = await upstream.next();
        if (finished) return;
        if (result.done) break;
        if (waiting) {
          const deliver = waiting;
          waiting = undefined;
          deliver(result);
        } else if (queued.length >= options.maxQueued) {
          options.onOverflow();
          return await close();
        } else queued.push(result.value);
      }
    } catch (error) {
      failure = error;
    }
    finished = true;
    waiting?.({ done: true, value: undefined });
  })();

  const take = (): Promise<IteratorResult<T>> => {
    if (queued.length) return Promise.resolve({ done: false, value: queued.shift()! });
    if (failure) return Promise.reject(failure);
    if (finished) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => (waiting = resolve));
  };

  return {
    async next() {
      const result = await take();
      if (result.done) return result;
      return { done: false, value: await options.complete(result.value) };
    },
    async return() {
      await close();
      return { done: true, value: undefined };
    },
    async throw(error) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
