/**
 * Load generator child of bench/subscriptions.ts, driven over IPC (one JSON command, one JSON reply):
 *
 *   node --import tsx bench/subscriptions-worker.ts subscribers   graphql-ws clients, one socket per user
 *   node --import tsx bench/subscriptions-worker.ts sender        sendMessage over HTTP at a fixed rate
 *
 * Times are process.hrtime (CLOCK_MONOTONIC, in ms): the same clock in every process of the machine,
 * so a sender's "sendMessage returned" and a subscriber's "event received" compare directly.
 *
 * Subscribers (graphql-ws's own client, lazy: false, no retries: a closed socket stays closed and is
 * counted) subscribe once to `query` and record every event whose body carries a sequence number
 * (`… #<seq>`): seq, subscriber index, receipt time; `collect` hands the records over and clears them.
 * `cycles` opens and completes a second subscription on held sockets, many times (the leak check).
 */
import http from "node:http";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

// ---- commands and replies ------------------------------------------------------------------------------

export interface SubscriberSpec {
  index: number;
  token: string;
}

export type SubscriberCommand =
  | { type: "connect"; url: string; query: string; subscribers: SubscriberSpec[]; concurrency: number; timeoutMs: number }
  | { type: "counts" }
  | { type: "collect" }
  | { type: "close"; indices: number[] }
  | {
      type: "cycles";
      indices: number[];
      query: string;
      cycles: number;
      /** Cycles started per second over all the sockets (on schedule, whenever a socket is free). */
      ratePerSecond: number;
      minHoldMs: number;
      maxHoldMs: number;
      zeroHoldShare: number;
    }
  | { type: "exit" };

export interface ConnectReply {
  type: "connected";
  connected: number;
  failed: number;
  failures: string[];
  ms: number;
}

export interface Counts {
  type: "counts";
  /** Sockets open now (connected and not closed). */
  open: number;
  /** Closes nobody asked for (the gateway dropped the socket), by close code. */
  unexpectedCloses: Record<string, number>;
  /** Events with a sequence number since the last collect. */
  pending: number;
  eventsTotal: number;
  /** Events carrying GraphQL errors, or a message without its sender's displayName. */
  errorEvents: number;
  incompleteEvents: number;
  /** Subscriptions that ended with an error or completed while they should be live. */
  endedSubscriptions: number;
  errorSamples: string[];
  cpuMs: number;
  rssBytes: number;
}

export interface Receipts {
  type: "receipts";
  seq: number[];
  subscriber: number[];
  atMs: number[];
}

export interface CyclesReply {
  type: "cycles";
  cycles: number;
  ms: number;
  /** Events received on the cycling subscriptions (they were live). */
  cycleEvents: number;
  errors: number;
  errorSamples: string[];
}

export interface SendCommand {
  type: "send";
  url: string;
  /** Messages per second, started on schedule (open loop) while fewer than maxInFlight are unanswered. */
  rate: number;
  durationSeconds: number;
  maxInFlight: number;
  /**
   * Message i goes to conversation targets[(firstTarget + i) % targets.length], with seq firstSeq + i,
   * written by tokens[pass % 2] (pass = ⌊(firstTarget + i) / targets.length⌋): buyer, then seller.
   */
  targets: { conversationId: string; tokens: [string, string] }[];
  firstTarget: number;
  firstSeq: number;
}

export interface SentReply {
  type: "sent";
  seq: number[];
  target: number[];
  startMs: number[];
  returnMs: number[];
  failed: number;
  failureSamples: string[];
  /** Messages due by the schedule that were never started (maxInFlight unanswered: the server is saturated). */
  behind: number;
  wallMs: number;
  cpuMs: number;
}

const SEND_MESSAGE = "mutation ($id: ID!, $body: String!) { sendMessage(conversationId: $id, body: $body) { id } }";

// ---- subscribers ------------------------------------------------------------------------------------------

interface Subscriber {
  index: number;
  client: Client;
  open: boolean;
  leaving: boolean;
}

function subscribersRole(send: (reply: unknown) => void) {
  const subscribers = new Map<number, Subscriber>();
  const unexpectedCloses: Record<string, number> = {};
  let seqs: number[] = [];
  let who: number[] = [];
  let at: number[] = [];
  let eventsTotal = 0;
  let errorEvents = 0;
  let incompleteEvents = 0;
  let endedSubscriptions = 0;
  const errorSamples: string[] = [];
  const sample = (text: string) => errorSamples.length < 10 && errorSamples.push(text.slice(0, 300));

  type Event = { data?: { messageAdded?: { body?: string; sender?: { displayName?: string } } } | null; errors?: readonly unknown[] };

  function onEvent(index: number, result: Event): void {
    const t = nowMs();
    eventsTotal++;
    const message = result.data?.messageAdded;
    if (result.errors?.length || !message) {
      errorEvents++;
      sample(JSON.stringify(result));
      return;
    }
    if (!message.sender?.displayName) incompleteEvents++;
    const match = /#(\d+)$/.exec(message.body ?? "");
    if (!match) return;
    seqs.push(Number(match[1]));
    who.push(index);
    at.push(t);
  }

  async function connect(command: Extract<SubscriberCommand, { type: "connect" }>): Promise<ConnectReply> {
    const started = performance.now();
    let next = 0;
    let connected = 0;
    let failed = 0;
    const failures: string[] = [];
    const one = (spec: SubscriberSpec) =>
      new Promise<void>((resolve) => {
        let settled = false;
        const done = (ok: boolean, why?: string) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (ok) connected++;
          else {
            failed++;
            if (failures.length < 10) failures.push(`#${spec.index}: ${why}`);
          }
          resolve();
        };
        const timer = setTimeout(() => done(false, `no connection_ack within ${command.timeoutMs} ms`), command.timeoutMs);
        const subscriber: Subscriber = { index: spec.index, open: false, leaving: false, client: undefined as unknown as Client };
        subscriber.client = createClient({
          url: command.url.replace(/^http/, "ws"),
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${spec.token}` },
          lazy: false,
          retryAttempts: 0,
          onNonLazyError: () => {},
          on: {
            connected: () => {
              subscriber.open = true;
              done(true);
            },
            closed: (event) => {
              const wasOpen = subscriber.open;
              subscriber.open = false;
              if (!subscriber.leaving) {
                const code = String((event as { code?: number }).code ?? "?");
                if (wasOpen) unexpectedCloses[code] = (unexpectedCloses[code] ?? 0) + 1;
                done(false, `closed with ${code} ${(event as { reason?: string }).reason ?? ""}`);
              }
            },
          },
        });
        subscribers.set(spec.index, subscriber);
        subscriber.client.subscribe(
          { query: command.query },
          {
            next: (result) => onEvent(spec.index, result as Event),
            error: (error) => {
              endedSubscriptions++;
              sample(`subscriber #${spec.index} error: ${errorText(error)}`);
            },
            complete: () => {
              if (!subscriber.leaving) endedSubscriptions++;
            },
          },
        );
      });
    await Promise.all(
      Array.from({ length: Math.max(1, command.concurrency) }, async () => {
        while (next < command.subscribers.length) await one(command.subscribers[next++]!);
      }),
    );
    return { type: "connected", connected, failed, failures, ms: Math.round(performance.now() - started) };
  }

  function counts(): Counts {
    let open = 0;
    for (const s of subscribers.values()) if (s.open) open++;
    const cpu = process.cpuUsage();
    return {
      type: "counts",
      open,
      unexpectedCloses,
      pending: seqs.length,
      eventsTotal,
      errorEvents,
      incompleteEvents,
      endedSubscriptions,
      errorSamples,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssBytes: process.memoryUsage().rss,
    };
  }

  async function close(indices: number[]): Promise<{ type: "closed"; closed: number }> {
    let closed = 0;
    await Promise.all(
      indices.map(async (index) => {
        const s = subscribers.get(index);
        if (!s) return;
        s.leaving = true;
        subscribers.delete(index);
        await s.client.dispose();
        closed++;
      }),
    );
    return { type: "closed", closed };
  }

  async function cycles(command: Extract<SubscriberCommand, { type: "cycles" }>): Promise<CyclesReply> {
    const started = performance.now();
    let done = 0;
    let cycleEvents = 0;
    let errors = 0;
    const samples: string[] = [];
    const pool = command.indices.map((i) => subscribers.get(i)).filter((s): s is Subscriber => !!s?.open);
    if (!pool.length) throw new Error("no open socket to cycle on");
    let started_ = 0;
    const t0 = performance.now();
    await Promise.all(
      pool.map(async (s) => {
        while (started_ < command.cycles) {
          const k = started_++;
          const due = t0 + (k * 1000) / command.ratePerSecond - performance.now();
          if (due > 0) await sleep(due);
          let failed = false;
          const unsubscribe = s.client.subscribe(
            { query: command.query },
            {
              next: (result) => {
                if ((result as Event).errors?.length) {
                  failed = true;
                  errors++;
                  if (samples.length < 10) samples.push(JSON.stringify(result).slice(0, 300));
                } else cycleEvents++;
              },
              error: (error) => {
                failed = true;
                errors++;
                if (samples.length < 10) samples.push(errorText(error));
              },
              complete: () => {},
            },
          );
          // Some leave at once (complete racing the subscription's set-up), most after a while.
          const hold = Math.random() < command.zeroHoldShare ? 0 : command.minHoldMs + Math.random() * (command.maxHoldMs - command.minHoldMs);
          if (hold) await sleep(hold);
          if (!failed) unsubscribe();
          done++;
        }
      }),
    );
    return { type: "cycles", cycles: done, ms: Math.round(performance.now() - started), cycleEvents, errors, errorSamples: samples };
  }

  return async (command: SubscriberCommand): Promise<unknown> => {
    switch (command.type) {
      case "connect":
        return connect(command);
      case "counts":
        return counts();
      case "collect": {
        const reply: Receipts = { type: "receipts", seq: seqs, subscriber: who, atMs: at };
        seqs = [];
        who = [];
        at = [];
        return reply;
      }
      case "close":
        return close(command.indices);
      case "cycles":
        return cycles(command);
      case "exit":
        await close([...subscribers.keys()]);
        send({ type: "bye" });
        setTimeout(() => process.exit(0), 50);
        return undefined;
    }
  };
}

// ---- sender -------------------------------------------------------------------------------------------------

async function sendAtRate(command: SendCommand): Promise<SentReply> {
  // Idle sockets are dropped before the server's keep-alive timeout (5 s) would close one under a request.
  const agent = new http.Agent({ keepAlive: true, maxSockets: command.maxInFlight, timeout: 4_000 });
  const seq: number[] = [];
  const target: number[] = [];
  const startMs: number[] = [];
  const returnMs: number[] = [];
  let failed = 0;
  const failureSamples: string[] = [];
  const cpuBefore = process.cpuUsage();
  let inFlight = 0;
  let sent = 0;
  const started = nowMs();
  const endAt = started + command.durationSeconds * 1000;
  let wake: (() => void) | undefined;

  const fire = (i: number) => {
    const position = command.firstTarget + i;
    const t = position % command.targets.length;
    const { conversationId, tokens } = command.targets[t]!;
    const token = tokens[Math.floor(position / command.targets.length) % 2]!;
    const s = command.firstSeq + i;
    const body = JSON.stringify({ query: SEND_MESSAGE, variables: { id: conversationId, body: `Mesaj de test pentru abonați #${s}` } });
    const start = nowMs();
    inFlight++;
    const finish = (ok: boolean, why?: string) => {
      const ret = nowMs();
      inFlight--;
      if (ok) {
        seq.push(s);
        target.push(t);
        startMs.push(start);
        returnMs.push(ret);
      } else {
        failed++;
        if (failureSamples.length < 10) failureSamples.push(why ?? "?");
      }
      wake?.();
    };
    const req = http.request(
      command.url,
      { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (e) => finish(false, e.message));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode === 200 && text.startsWith('{"data":{"sendMessage":{"id":') && !text.includes('"errors"')) finish(true);
          else finish(false, `${res.statusCode} ${text.slice(0, 300)}`);
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("no answer within 30 s")));
    req.on("error", (e) => finish(false, e.message));
    req.end(body);
  };

  for (;;) {
    const now = nowMs();
    if (now >= endAt) break;
    const due = Math.min(Math.floor(((now - started) / 1000) * command.rate) + 1, Math.ceil(command.durationSeconds * command.rate));
    while (sent < due && inFlight < command.maxInFlight) fire(sent++);
    // Behind (every place taken): wait for an answer to free one. Else sleep until the next is due.
    const capped = sent < due;
    const nextDue = started + (sent / command.rate) * 1000;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(
        () => {
          wake = undefined;
          resolve();
        },
        Math.max(1, (capped ? endAt : Math.min(nextDue, endAt)) - nowMs()),
      );
      wake = capped
        ? () => {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          }
        : undefined;
    });
  }
  const behind = Math.max(0, Math.ceil(command.durationSeconds * command.rate) - sent);
  const waitUntil = nowMs() + 35_000;
  while (inFlight > 0 && nowMs() < waitUntil) await sleep(20);
  const wallMs = nowMs() - started;
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  return { type: "sent", seq, target, startMs, returnMs, failed, failureSamples, behind, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

// ---- process --------------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return JSON.stringify(error).slice(0, 300);
  const e = error as { code?: number; reason?: string };
  if (e && typeof e === "object" && "code" in e) return `closed ${e.code} ${e.reason ?? ""}`;
  return String(error);
}

const isMain = process.argv[1]?.endsWith("subscriptions-worker.ts");
if (isMain) {
  if (!process.send) throw new Error("bench/subscriptions-worker.ts runs as an IPC child of bench/subscriptions.ts");
  const send = (reply: unknown) => process.send!(reply);
  const role = process.argv[2];
  const handle =
    role === "subscribers"
      ? subscribersRole(send)
      : role === "sender"
        ? async (command: SendCommand | { type: "exit" }) => {
            if (command.type === "exit") {
              send({ type: "bye" });
              setTimeout(() => process.exit(0), 50);
              return undefined;
            }
            return sendAtRate(command);
          }
        : undefined;
  if (!handle) throw new Error(`unknown role "${role}" (subscribers | sender)`);
  // The parent gone (killed), nothing is left to report to.
  process.on("disconnect", () => process.exit(0));
  process.on("message", (message: { id: number; command: never }) => {
    handle(message.command).then(
      (reply) => reply !== undefined && send({ id: message.id, reply }),
      (error: unknown) => send({ id: message.id, error: (error as Error).stack ?? String(error) }),
    );
  });
  send({ type: "ready" });
}
