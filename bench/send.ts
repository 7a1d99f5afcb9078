/**
 * One POST on a new connection, for answers after which the server closes the connection without
 * reading the rest of the body (the gateway's 413 from the Content-Length, with Connection: close).
 * The outcome is the answer as soon as it has been read in full, whatever happens to the socket after
 * it (the server closing while the body is still being sent: EPIPE, ECONNRESET); a request without a
 * complete answer is an error. The request asks for keep-alive, so the answer's Connection header says
 * whether the server chose to close; the socket is destroyed after the answer either way.
 */
import http from "node:http";

export type SendOutcome =
  | {
      kind: "answer";
      status: number;
      body: string;
      /** From the start of the request to the answer's last byte. */
      ms: number;
      /** The answer said `Connection: close` (the server does not read what remains of the body). */
      serverCloses: boolean;
    }
  | { kind: "error"; message: string }
  | { kind: "timeout" };

export function sendOnNewConnection(url: string, body: Buffer, headers: Record<string, string>, timeoutMs = 30_000): Promise<SendOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    let answering = false;
    const settle = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const req = http.request(url, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", "content-length": String(body.length), connection: "keep-alive", ...headers },
    });
    const timer = setTimeout(() => settle({ kind: "timeout" }), timeoutMs);
    req.on("response", (res) => {
      answering = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", () => undefined);
      res.on("aborted", () => settle({ kind: "error", message: "answer cut short" }));
      res.on("close", () => {
        if (!res.complete) settle({ kind: "error", message: "answer cut short" });
      });
      res.on("end", () =>
        settle({
          kind: "answer",
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          ms: performance.now() - started,
          serverCloses: String(res.headers.connection ?? "").toLowerCase() === "close",
        }),
      );
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      // An answer already under way settles it (its end or its abort); otherwise there is no answer.
      if (!answering) settle({ kind: "error", message: error.code ?? error.message });
    });
    req.on("close", () => {
      if (!answering) settle({ kind: "error", message: "closed without an answer" });
    });
    // The body in one write, as autocannon sends it: node hands the kernel what it takes at once and the
    // rest when the socket is writable; libuv reads before it writes, so an answer that has arrived is
    // mostly read before a write into the closed connection fails. (Writing in chunks with the event loop
    // turned between them, to stop at the answer, lost far more answers: each chunk's write came first.)
    req.end(body);
  });
}
