/**
 * The one pub/sub of a deployment: subscription events (chat messages, agent runs), session
 * revocations and cache purges. In this process's memory by default (one process: nothing to share);
 * in Redis when REDIS_URL is set, so N gateway replicas and subgraph processes behave as one.
 *
 * Both are graphql-subscriptions engines (Apollo's PubSub, graphql-redis-subscriptions' RedisPubSub):
 * their iterators unsubscribe from the channel when return() is called, which graphql-js and
 * graphql-ws do when a client leaves. Payloads are JSON in both modes (the memory engine round-trips
 * them too), so code that works on one process works across processes.
 */
import { EventEmitter } from "node:events";
import { PubSub as MemoryEngine, type PubSubEngine } from "graphql-subscriptions";
import { RedisPubSub, type PubSubRedisOptions } from "graphql-redis-subscriptions";
import type { Logger } from "./logger.ts";
import { openRedis } from "./redis.ts";

type RedisClient = NonNullable<PubSubRedisOptions["publisher"]>;

export interface PubSub {
  publish(channel: string, payload: unknown): Promise<void>;
  /** Events of these channels from now on, until the iterator's return() is called. */
  subscribe<T>(channels: string | string[]): AsyncIterableIterator<T>;
  close(): Promise<void>;
}

/** Channels live in a shared Redis next to other deployments' (tests, staging): one prefix for ours. */
const CHANNEL_PREFIX = "piata:";

export async function openPubSub(redisUrl: string | undefined, log: Logger): Promise<PubSub> {
  if (!redisUrl) {
    // One listener per subscription on a channel: a user's channel legitimately has more than
    // EventEmitter's default 10 (a socket may hold 20 operations), and the warning would cry leak.
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    return wrap(new MemoryEngine({ eventEmitter: emitter }), async () => {});
  }
  // Pub/sub needs connections of its own: a subscribed Redis connection can run no other command.
  const [publisher, subscriber] = await Promise.all([openRedis(redisUrl, log), openRedis(redisUrl, log)]);
  // It declares ioredis 5 (a copy of its own); ioredis 6's client has the same pub/sub API it calls.
  const engine = new RedisPubSub({ publisher: publisher as unknown as RedisClient, subscriber: subscriber as unknown as RedisClient });
  return wrap(engine, async () => {
    await engine.close().catch(() => {
      publisher.disconnect();
      subscriber.disconnect();
    });
  });
}

function wrap(engine: PubSubEngine, close: () => Promise<void>): PubSub {
  const memory = engine instanceof MemoryEngine;
  const named = (channels: string | string[]) => [channels].flat().map((c) => CHANNEL_PREFIX + c);
  return {
    publish: (channel, payload) => engine.publish(CHANNEL_PREFIX + channel, memory ? JSON.parse(JSON.stringify(payload)) : payload),
    subscribe: <T>(channels: string | string[]) => engine.asyncIterableIterator<T>(named(channels)),
    close,
  };
}
