/**
 * Outbound HTTP for the feed-importer agent: it fetches URLs an AI chose, so every hop is checked
 * (scheme, port, every resolved address) and the connection is pinned to the checked addresses.
 *
 * Built on node:http(s) rather than fetch: fetch gives no hook at connect time, and undici's
 * `connect.lookup` is skipped for IP literals. Here we resolve the name ourselves, refuse if ANY
 * address is disallowed, and hand the socket a lookup that can only return those addresses, so a DNS
 * answer that changes between check and connect (rebinding) cannot take effect. Literals (which net
 * connects to without a lookup) are checked the same way, after the WHATWG URL parser has normalised
 * forms like 2130706433 or 0x7f.1. The socket's remote address is checked again on connect.
 */
import { promises as dns, type LookupAddress } from "node:dns";
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction, type Socket } from "node:net";
import { pipeline, type Readable } from "node:stream";
import zlib from "node:zlib";
import { addressFilter, type AddressPolicy } from "./address-policy.ts";

export type SafeFetchReason =
  | "INVALID_URL"
  | "BLOCKED_ADDRESS"
  | "BLOCKED_PORT"
  | "BLOCKED_SCHEME"
  | "TOO_MANY_REDIRECTS"
  | "TOO_LARGE"
  | "TIMEOUT"
  | "HTTP_ERROR"
  | "NETWORK";

/** Messages name only the URL the caller gave: never a redirect target or a resolved address. */
export class SafeFetchError extends Error {
  override readonly name = "SafeFetchError";
  constructor(
    readonly reason: SafeFetchReason,
    message: string,
    /** Final HTTP status, for HTTP_ERROR. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface SafeFetchOptions extends AddressPolicy {
  /** Default [80, 443]. */
  allowedPorts?: readonly number[];
  /** Budget for one call from its first connection to the end of the last body, redirects included. Default 10 s. */
  timeoutMs?: number;
  /** Decoded body size cap. Default 5 MB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Distinct hosts contacted at once by this client, one request per host at a time. Default 4. */
  maxConcurrentHosts?: number;
  userAgent?: string;
  /** Name resolution, default dns.lookup (all addresses). Tests inject one; its answers are checked too. */
  resolve?: (hostname: string) => Promise<readonly LookupAddress[]>;
}

export interface SafeFetchInit {
  accept?: string;
  signal?: AbortSignal;
}

export interface SafeResponse {
  /** URL after redirects. */
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  contentType: string | undefined;
  body: Buffer;
  /** Body decoded with the charset of Content-Type (Romanian sites still serve windows-1250/iso-8859-2). */
  text(): string;
  json(): unknown;
}

export type SafeFetch = (url: string | URL, init?: SafeFetchInit) => Promise<SafeResponse>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createSafeFetch(options: SafeFetchOptions = {}): SafeFetch {
  const allowed = addressFilter(options);
  const ports = new Set(options.allowedPorts ?? [80, 443]);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const resolve = options.resolve ?? ((host: string) => dns.lookup(host, { all: true, verbatim: true }));
  const gate = new HostGate(options.maxConcurrentHosts ?? 4);
  const userAgent = options.userAgent ?? "piata-ai-feed-importer/1.0";

  return async function safeFetch(input, init = {}) {
    const given = String(input);
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      throw new SafeFetchError("INVALID_URL", `invalid URL: ${given}`);
    }
    const controller = new AbortController();
    let why: "timeout" | "caller" | undefined;
    const onCallerAbort = () => {
      why ??= "caller";
      controller.abort();
    };
    if (init.signal?.aborted) onCallerAbort();
    init.signal?.addEventListener("abort", onCallerAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const startClock = () => {
      timer ??= setTimeout(() => {
        why ??= "timeout";
        controller.abort();
      }, timeoutMs);
    };
    const fail = (hop: number, err: unknown): SafeFetchError => {
      if (why === "timeout") return new SafeFetchError("TIMEOUT", `timed out after ${timeoutMs} ms: ${given}`);
      if (why === "caller") return new SafeFetchError("NETWORK", `aborted: ${given}`);
      if (err instanceof SafeFetchError) {
        if (hop === 0 || !["BLOCKED_ADDRESS", "BLOCKED_PORT", "BLOCKED_SCHEME", "INVALID_URL"].includes(err.reason)) return err;
        return new SafeFetchError(err.reason, `redirect from ${given} refused: ${err.reason.toLowerCase().replace("_", " ")}`);
      }
      const code = (err as { code?: unknown } | null)?.code;
      return new SafeFetchError("NETWORK", `network error${typeof code === "string" ? ` (${code})` : ""}: ${given}`);
    };

    try {
      for (let hop = 0; ; hop++) {
        let release: (() => void) | undefined;
        try {
          const port = checkUrl(url, ports, given);
          release = await gate.acquire(url.hostname, controller.signal);
          startClock();
          const addresses = await checkedAddresses(url.hostname, resolve, allowed, controller.signal, given);
          const res = await request(url, port, addresses, allowed, controller.signal, given, {
            "user-agent": userAgent,
            accept: init.accept ?? "application/json, text/html;q=0.9, */*;q=0.5",
            "accept-encoding": "gzip, deflate, br",
          });
          const status = res.statusCode ?? 0;
          const location = res.headers.location;
          if (REDIRECTS.has(status) && location) {
            res.destroy();
            if (hop >= maxRedirects) throw new SafeFetchError("TOO_MANY_REDIRECTS", `more than ${maxRedirects} redirects: ${given}`);
            try {
              url = new URL(location, url);
            } catch {
              throw new SafeFetchError("HTTP_ERROR", `invalid redirect from ${given}`, status);
            }
            continue;
          }
          if (status < 200 || status > 299) {
            res.destroy();
            throw new SafeFetchError("HTTP_ERROR", `HTTP ${status}: ${given}`, status);
          }
          const body = await readBody(res, maxBytes, given);
          return response(url.href, status, res.headers, body);
        } catch (err) {
          throw fail(hop, err);
        } finally {
          release?.();
        }
      }
    } finally {
      clearTimeout(timer);
      init.signal?.removeEventListener("abort", onCallerAbort);
    }
  };
}

function checkUrl(url: URL, ports: ReadonlySet<number>, given: string): number {
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new SafeFetchError("BLOCKED_SCHEME", `scheme not allowed: ${given}`);
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  if (!ports.has(port)) throw new SafeFetchError("BLOCKED_PORT", `port not allowed: ${given}`);
  return port;
}

/** Every address the host name stands for, each one allowed; a literal stands for itself. */
async function checkedAddresses(
  hostname: string,
  resolve: NonNullable<SafeFetchOptions["resolve"]>,
  allowed: (ip: string) => boolean,
  signal: AbortSignal,
  given: string,
): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[(.*)\]$/, "$1");
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : [...(await abortable(resolve(host), signal))];
  if (addresses.length === 0) throw new SafeFetchError("NETWORK", `no address for host: ${given}`);
  // One bad address refuses the host: connecting to "the good one" would leave the choice to the
  // socket's family fallback, and a name that also points inside is not a partner feed.
  if (!addresses.every((a) => allowed(a.address))) throw new SafeFetchError("BLOCKED_ADDRESS", `address not allowed: ${given}`);
  return addresses;
}

function request(
  url: URL,
  port: number,
  addresses: readonly LookupAddress[],
  allowed: (ip: string) => boolean,
  signal: AbortSignal,
  given: string,
  headers: Record<string, string>,
): Promise<IncomingMessage> {
  // The socket may only connect to the addresses just checked (net is not consulted for literals).
  const pinned: LookupFunction = (_host, opts, callback) => {
    if (opts.all) callback(null, [...addresses]);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request({
      host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port,
      path: `${url.pathname}${url.search}`,
      method: "GET",
      headers: { ...headers, connection: "close" },
      lookup: pinned,
      agent: false, // no pooled sockets: each hop's connection is made (and checked) for that hop
      signal,
    });
    req.on("socket", (socket: Socket) => {
      // Belt and braces: whatever the socket actually reached must pass the same policy.
      socket.once("connect", () => {
        if (!socket.remoteAddress || !allowed(socket.remoteAddress)) {
          socket.destroy(new SafeFetchError("BLOCKED_ADDRESS", `address not allowed: ${given}`));
        }
      });
    });
    req.once("response", (res) => {
      signal.addEventListener("abort", () => res.destroy(new Error("aborted")), { once: true });
      resolve(res);
    });
    req.once("error", reject);
    req.end();
  });
}

async function readBody(res: IncomingMessage, maxBytes: number, given: string): Promise<Buffer> {
  const tooLarge = () => new SafeFetchError("TOO_LARGE", `response larger than ${maxBytes} bytes: ${given}`);
  const declared = Number(res.headers["content-length"]);
  if (declared > maxBytes) {
    res.destroy();
    throw tooLarge();
  }
  const decoder = decoderFor(res.headers["content-encoding"]);
  const stream: Readable = decoder ? pipeline(res, decoder, () => {}) : res;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    // The cap applies to decoded bytes, so a small gzip bomb is cut off as early as a large body.
    if (size > maxBytes) {
      res.destroy();
      stream.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function decoderFor(encoding: string | undefined) {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip();
    case "deflate":
      return zlib.createInflate();
    case "br":
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

function response(url: string, status: number, headers: IncomingHttpHeaders, body: Buffer): SafeResponse {
  const contentType = headers["content-type"];
  return {
    url,
    status,
    headers,
    contentType,
    body,
    text() {
      const charset = /charset="?([^";\s]+)/i.exec(contentType ?? "")?.[1] ?? "utf-8";
      try {
        return new TextDecoder(charset).decode(body);
      } catch {
        return new TextDecoder("utf-8").decode(body); // unknown charset label
      }
    },
    json() {
      return JSON.parse(this.text()) as unknown;
    },
  };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error("aborted"));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * At most `max` hosts in flight, one request per host (polite to partners, and caps total
 * connections at `max` however many URLs the agent asks for at once). Hand-written because p-limit
 * is only a transitive dependency and limits calls, not distinct keys.
 */
class HostGate {
  private readonly busy = new Set<string>();
  private waiters: (() => void)[] = [];
  constructor(private readonly max: number) {}

  async acquire(host: string, signal: AbortSignal): Promise<() => void> {
    while (this.busy.has(host) || this.busy.size >= this.max) {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          this.waiters = this.waiters.filter((w) => w !== wake);
          reject(new Error("aborted"));
        };
        if (signal.aborted) return reject(new Error("aborted"));
        signal.addEventListener("abort", onAbort, { once: true });
        this.waiters.push(wake);
      });
    }
    this.busy.add(host);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.busy.delete(host);
      // Wake everyone; each re-checks its own condition (N is small).
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    };
  }
}
