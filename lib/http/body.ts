import type { IncomingMessage } from "node:http";

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body larger than ${limit} bytes`);
  }
}

export class BodyTimeoutError extends Error {
  constructor(readonly seconds: number) {
    super(`Request body not received within ${seconds} s`);
  }
}

/**
 * Reads the whole body, refusing (before buffering it all) anything over `limit` bytes, or not all
 * there within `timeoutMs` (the server's own requestTimeout is longer, for uploads). On a refusal the
 * rest is left unread: the caller answers with `connection: close`.
 */
export function readBody(req: IncomingMessage, limit: number, timeoutMs?: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error?: Error) => {
      clearTimeout(timer);
      req.off("data", onData).off("end", onEnd).off("error", settle);
      if (!error) return resolve(Buffer.concat(chunks).toString("utf8"));
      req.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return settle(new BodyTooLargeError(limit));
      chunks.push(chunk);
    };
    const onEnd = () => settle();
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => settle(new BodyTimeoutError(timeoutMs / 1000)), timeoutMs);
    req.on("data", onData).on("end", onEnd).on("error", settle);
  });
}
