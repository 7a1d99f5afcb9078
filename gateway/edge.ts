/**
 * What every HTTP request to the gateway passes before it is routed: security headers (helmet), CORS
 * from the configured allow-list (cors), and the client's address (proxy-addr: X-Forwarded-For is
 * believed only for the proxy hops TRUST_PROXY names).
 */
import type http from "node:http";
import cors from "cors";
import helmet from "helmet";
import proxyaddr from "proxy-addr";
import type { Config } from "../lib/env.ts";

type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void) => void;

export interface Edge {
  /** Sets the security headers; answers a CORS preflight (then returns true: nothing more to do). */
  prepare(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean>;
  clientIp(req: http.IncomingMessage): string;
}

const HSTS = "max-age=31536000; includeSubDomains";

export function createEdge(config: Pick<Config, "TRUST_PROXY" | "CORS_ORIGINS">): Edge {
  const trust = trustFunction(config.TRUST_PROXY);
  const headers = helmet({
    // An API answers JSON: nothing in it may load or frame anything. GraphiQL's page sets its own policy.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    // Sent only over TLS (below): over plain HTTP the header is meaningless and browsers ignore it.
    strictTransportSecurity: false,
    referrerPolicy: { policy: "no-referrer" },
  }) as Middleware;
  const crossOrigin = cors({
    origin: config.CORS_ORIGINS.length ? config.CORS_ORIGINS : false,
    methods: ["GET", "POST"],
    allowedHeaders: ["content-type", "authorization", "apollo-require-preflight", "x-apollo-operation-name", "x-request-id"],
    exposedHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
  }) as Middleware;

  const isTls = (req: http.IncomingMessage) =>
    ("encrypted" in req.socket && !!req.socket.encrypted) ||
    (trust(req.socket.remoteAddress ?? "", 0) && req.headers["x-forwarded-proto"] === "https");

  return {
    async prepare(req, res) {
      await run(headers, req, res);
      if (isTls(req)) res.setHeader("strict-transport-security", HSTS);
      // cors ends a preflight itself (204) and calls next() for everything else.
      return !(await run(crossOrigin, req, res));
    },
    clientIp: (req) => proxyaddr(req, trust),
  };
}

/** Runs an express-style middleware; resolves true when it handed the request on (called next). */
function run(middleware: Middleware, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  return new Promise((resolve, reject) => {
    res.once("finish", () => resolve(false));
    middleware(req, res, (error) => (error ? reject(error) : resolve(true)));
  });
}

/** TRUST_PROXY: "" trusts no proxy, "2" the last two hops, else addresses/subnets ("loopback, 10.0.0.0/8"). */
export function trustFunction(setting: string): (address: string, hop: number) => boolean {
  const value = setting.trim();
  if (!value) return () => false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_, hop) => hop < hops;
  }
  return proxyaddr.compile(value.split(",").map((s) => s.trim()));
}
