/**
 * Bench-only entry of the gateway (bench/subscriptions.ts starts it instead of gateway/index.ts): the
 * same process, plus a way to read its memory from outside without changing the product's code.
 *
 *   node --expose-gc --import tsx bench/subscriptions-gateway.ts     (environment as for npm start)
 *
 * On SIGUSR2 it runs the garbage collector (when started with --expose-gc) until the heap stops
 * shrinking, then prints one line to stdout:
 *
 *   @@bench-memory {"seq":1,"rss":…,"heapUsed":…,"heapTotal":…,"external":…,"arrayBuffers":…,
 *                   "gcRuns":3,"resources":{"TCPSocketWrap":1002,"Timeout":4,…},
 *                   "pubsub":{"subscriptions":1000,"listeners":1000,"channels":1000}}
 *
 * SIGWINCH prints the same line without collecting first (cheap: for polling).
 *
 * `pubsub` counts the in-memory pub/sub's open subscriptions (graphql-subscriptions' PubSub: the
 * engine of embedded mode, lib/pubsub.ts): every PubSub instance's subscription table, its
 * EventEmitter's listeners and the channels (event names) that have any. The counting wraps
 * PubSub.prototype.subscribe to learn the instances; nothing else of the product is touched.
 */
import { PubSub } from "graphql-subscriptions";

const instances = new Set<PubSub>();
const subscribe = PubSub.prototype.subscribe;
PubSub.prototype.subscribe = function (this: PubSub, ...args: Parameters<PubSub["subscribe"]>) {
  instances.add(this);
  return subscribe.apply(this, args);
};

interface Internals {
  ee: NodeJS.EventEmitter;
  subscriptions: Record<string, unknown>;
}

function pubsubCounts() {
  let subscriptions = 0;
  let listeners = 0;
  let channels = 0;
  for (const instance of instances) {
    const { ee, subscriptions: table } = instance as unknown as Internals;
    subscriptions += Object.keys(table).length;
    for (const name of ee.eventNames()) {
      const n = ee.listenerCount(name);
      listeners += n;
      if (n) channels++;
    }
  }
  return { subscriptions, listeners, channels, instances: instances.size };
}

const gc = (globalThis as { gc?: () => void }).gc;
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

let seq = 0;
let busy = false;
function report(collect: boolean): void {
  if (busy) return;
  busy = true;
  void (async () => {
    const n = ++seq;
    let gcRuns = 0;
    if (collect && gc) {
      // Full collections until the heap stops shrinking (weak maps and finalizers need a few rounds).
      let last = Infinity;
      for (; gcRuns < 8; gcRuns++) {
        gc();
        await settle();
        const used = process.memoryUsage().heapUsed;
        if (used > last - 64 * 1024) {
          gcRuns++;
          break;
        }
        last = used;
      }
    }
    const memory = process.memoryUsage();
    const resources: Record<string, number> = {};
    for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
    const line = { seq: n, ...memory, gcRuns, gcAvailable: !!gc, resources, pubsub: pubsubCounts() };
    process.stdout.write(`@@bench-memory ${JSON.stringify(line)}\n`);
    busy = false;
  })();
}
process.on("SIGUSR2", () => report(true));
// The same without collecting garbage: cheap enough to poll (how many subscriptions are open yet).
process.on("SIGWINCH", () => report(false));

await import("../gateway/index.ts");
