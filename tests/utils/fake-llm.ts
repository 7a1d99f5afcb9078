/**
 * A local OpenAI-compatible endpoint (node:http) for the LLM client's and the copywriter's tests: it
 * records every request and answers chat completions and the model list as a real server does, or
 * misbehaves as a test asks (an HTTP error, garbage, silence, a flood).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeLlmRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export type FakeLlmBehaviour =
  | { kind: "answer"; content: string }
  | { kind: "status"; status: number; body?: string }
  | { kind: "garbage" }
  | { kind: "silent" }
  | { kind: "flood"; bytes: number; declared: boolean }
  | { kind: "redirect"; location: string };

export interface FakeLlm {
  /** …/v1, as LLM_BASE_URL takes it. */
  baseUrl: string;
  requests: FakeLlmRequest[];
  /** How chat completions are answered from now on. */
  behave(behaviour: FakeLlmBehaviour): void;
  /** The models GET /v1/models lists (404 when null). */
  models: string[] | null;
  close(): Promise<void>;
}

export async function startFakeLlm(options: { content?: string; models?: string[] } = {}): Promise<FakeLlm> {
  const requests: FakeLlmRequest[] = [];
  let behaviour: FakeLlmBehaviour = { kind: "answer", content: options.content ?? "O descriere mai bună." };
  const fake = { models: options.models ?? ["test-model"] } as FakeLlm;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // kept as text
    }
    requests.push({ method: req.method!, path: req.url!, headers: req.headers, body });
    if (req.method === "GET" && req.url === "/v1/models") {
      if (!fake.models) return json(res, 404, { error: { message: "not found" } });
      return json(res, 200, { object: "list", data: fake.models.map((id) => ({ id, object: "model" })) });
    }
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") return json(res, 404, { error: { message: "not found" } });
    answer(res, behaviour, body as { model?: string });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    behave: (next: FakeLlmBehaviour) => void (behaviour = next),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

function answer(res: http.ServerResponse, behaviour: FakeLlmBehaviour, request: { model?: string }): void {
  switch (behaviour.kind) {
    case "answer":
      return json(res, 200, {
        id: "chatcmpl-test",
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: request?.model ?? "test-model",
        choices: [{ index: 0, message: { role: "assistant", content: behaviour.content }, finish_reason: "stop" }],
        usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
      });
    case "status":
      res.writeHead(behaviour.status, { "content-type": "application/json" }).end(behaviour.body ?? JSON.stringify({ error: { message: "upstream failure", type: "server_error" } }));
      return;
    case "garbage":
      res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Bad gateway? 502</body></html>");
      return;
    case "silent":
      return; // never answers: the client's timeout must end it
    case "flood": {
      res.writeHead(200, { "content-type": "application/json", ...(behaviour.declared ? { "content-length": String(behaviour.bytes) } : {}) });
      const chunk = Buffer.alloc(16_384, "a");
      let sent = 0;
      const pump = () => {
        while (sent < behaviour.bytes) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("error", () => {});
      return pump();
    }
    case "redirect":
      res.writeHead(307, { location: behaviour.location }).end();
      return;
  }
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
}
